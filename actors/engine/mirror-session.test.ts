import type { SyncReport } from '../../protocol/mirrors/commands.schema.js';
import { engineError, FakeEngine } from '../mirrors/fake-engine.fixtures.js';
import { FlakyStore } from '../mirrors/flaky-store.fixtures.js';
import { containerFixture, NAMESPACE } from '../mirrors/mirrors.fixtures.js';
import { settle, setupMirrors, silentLogger, stopMirrors, until } from '../mirrors/mirror-supervisor.fixtures.js';
import { recordingLogger } from '../bus/recording-logger.fixtures.js';
import { startMirrorSession, type MirrorSession, type MirrorSessionOptions } from './mirror-session.js';

const web = containerFixture('web');
const LATE_A = 'a'.repeat(64);
const LATE_B = 'b'.repeat(64);

/** Timers the tests advance; setImmediate stays real so settle() still drains the mailboxes. */
const fakeTimers = () => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });

const sessions: MirrorSession[] = [];

/** A session over a fake engine and store, recording what it reports. */
function startSession(
  engine: FakeEngine = FakeEngine.withFixtures(),
  options: Partial<MirrorSessionOptions> & { store?: FlakyStore } = {},
) {
  const { supervisor, store } = setupMirrors(engine, options.store ? { store: options.store } : {});
  const reports: SyncReport[] = [];
  const ends: string[] = [];
  let synced = 0;
  const session = startMirrorSession({
    engine,
    supervisor,
    store,
    namespace: NAMESPACE,
    logger: silentLogger,
    since: 1_700_000_000,
    trigger: 'connect',
    resyncMs: 0,
    onReport: (report) => reports.push(report),
    onSynced: () => (synced += 1),
    onEnd: (message) => ends.push(message),
    ...options,
  });
  sessions.push(session);
  return { engine, supervisor, store, session, reports, ends, synced: () => synced };
}

function containerEvent(Action: string, id: string) {
  return { Type: 'container', Action, Actor: { ID: id } };
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.cancel()));
  stopMirrors();
  jest.useRealTimers();
});

describe('startMirrorSession', () => {
  it('should buffer events that arrive during the first sync and route them, in order, after it', async () => {
    // Arrange: two containers are created while the sync lists the engine
    const engine = FakeEngine.withFixtures();
    engine.duringList = () => {
      for (const [id, name] of [
        [LATE_A, 'late-a'],
        [LATE_B, 'late-b'],
      ] as const) {
        engine.cloneContainer(web, id, name);
        engine.emit(containerEvent('create', id));
      }
    };
    let routedAtReport = -1;

    // Act
    const { supervisor, store, synced } = startSession(engine, {
      onReport: () => (routedAtReport = supervisor.stats.routed),
    });
    await until(() => synced() === 1, 'the first sync is done');
    await settle();

    // Assert
    expect(routedAtReport).toBe(0);
    expect(supervisor.stats.routed).toBe(2);
    expect(synced()).toBe(1);
    const inspects = engine.calls.filter((call) => call.method === 'inspectContainer').map((call) => call.key);
    expect(inspects.slice(-2)).toEqual([LATE_A, LATE_B]);
    expect(await store.names('Container')).toEqual(expect.arrayContaining([LATE_A, LATE_B]));
  });

  it('should call onSynced once, after the buffered events, and route later events at once', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    engine.duringList = () => engine.emit(containerEvent('update', web.Id));
    let routedAtSynced = -1;
    let synced = 0;
    const { supervisor } = startSession(engine, {
      onSynced: () => {
        synced += 1;
        routedAtSynced = supervisor.stats.routed;
      },
    });
    await until(() => synced === 1, 'the first sync is done');
    await settle();

    // Act
    engine.emit(containerEvent('update', web.Id));

    // Assert
    expect(synced).toBe(1);
    expect(routedAtSynced).toBe(1);
    expect(supervisor.stats.routed).toBe(2);
  });

  it('should run a second sync instead of routing when more events arrive than the buffer holds', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    engine.duringList = () => {
      for (let index = 0; index < 3; index += 1) engine.emit(containerEvent('update', web.Id));
    };

    // Act
    const { supervisor, reports, synced } = startSession(engine, { bufferLimit: 2 });
    await until(() => synced() === 1, 'the second sync is done');
    await settle();

    // Assert
    expect(reports.map((report) => report.trigger)).toEqual(['connect', 'connect']);
    expect(supervisor.stats.routed).toBe(0);
    expect(engine.count('listContainerIds')).toBe(2);
    expect(synced()).toBe(1);
  });

  it('should end the session with a message, and never report it synced, when the first sync fails', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    engine.failList('listContainerIds', engineError(500, 'engine busy'));

    // Act
    const { ends, synced, reports, supervisor } = startSession(engine);
    await until(() => ends.length === 1, 'the session has ended');
    await settle();
    engine.emit(containerEvent('update', web.Id));

    // Assert
    expect(ends).toEqual(['the sync failed: (HTTP code 500) engine busy']);
    expect(synced()).toBe(0);
    expect(reports).toEqual([]);
    expect(supervisor.stats.routed).toBe(0);
  });

  it('should finish the first sync, logging the failure, when its report cannot be published', async () => {
    // Arrange: the bus refuses the drift report (the connection closed, or a small max_payload)
    const { logger, lines } = recordingLogger();
    let refused = 0;

    // Act
    const { ends, synced } = startSession(FakeEngine.withFixtures(), {
      logger,
      onReport: () => {
        refused += 1;
        throw new Error('CONNECTION_CLOSED');
      },
    });
    await until(() => refused === 1, 'the report was refused');
    await until(() => synced() === 1 || ends.length > 0, 'the first sync is over');

    // Assert
    expect(ends).toEqual([]);
    expect(synced()).toBe(1);
    expect(lines).toContain('warn could not publish the sync report: CONNECTION_CLOSED');
  });

  it('should call onEnd once, and stop the resync timer, when the event stream ends', async () => {
    // Arrange
    fakeTimers();
    const { engine, ends, reports } = startSession(FakeEngine.withFixtures(), { resyncMs: 1_000 });
    await until(() => reports.length === 1, 'the first sync has reported');
    await settle();

    // Act
    engine.endStream('socket hang up');
    engine.endStream('socket hang up again');
    await jest.advanceTimersByTimeAsync(10_000);
    await settle();

    // Assert
    expect(ends).toEqual(['socket hang up']);
    expect(reports.map((report) => report.trigger)).toEqual(['connect']);
    expect(engine.count('listContainerIds')).toBe(1);
  });

  it('should call onEnd once when the stream ends during a first sync that then fails', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    engine.duringList = () => engine.endStream('stream closed');
    engine.failList('listVolumeNames', engineError(500, 'engine busy'));

    // Act
    const { ends, synced, session } = startSession(engine);
    await until(() => ends.length === 1, 'the stream has ended');
    await session.cancel(); // resolves once the sync in progress has failed
    await settle();

    // Assert
    expect(ends).toEqual(['stream closed']);
    expect(synced()).toBe(0);
  });

  it('should resync on schedule and report the drift the event stream missed', async () => {
    // Arrange
    fakeTimers();
    const { engine, reports } = startSession(FakeEngine.withFixtures(), { resyncMs: 60_000 });
    await until(() => reports.length === 1, 'the first sync has reported');
    engine.containers.get(web.Id)!.State.Status = 'exited'; // an event the stream lost

    // Act
    await jest.advanceTimersByTimeAsync(59_999);
    await settle();
    const beforeSchedule = reports.length;
    const listsBeforeSchedule = engine.count('listContainerIds');
    await jest.advanceTimersByTimeAsync(1);
    await until(() => reports.length === 2, 'the first periodic resync has reported');
    await jest.advanceTimersByTimeAsync(60_000);
    await until(() => reports.length === 3, 'the second periodic resync has reported');

    // Assert
    expect(beforeSchedule).toBe(1);
    expect(listsBeforeSchedule).toBe(1);
    expect(reports.map((report) => report.trigger)).toEqual(['connect', 'periodic', 'periodic']);
    expect(reports[1]).toMatchObject({ updated: 1, created: 0, removed: 0, changed: [`Container/${web.Id}`] });
    expect(reports[2]).toMatchObject({ updated: 0, created: 0, removed: 0, changed: [] });
  });

  it('should keep resyncing on schedule when a periodic resync fails', async () => {
    // Arrange
    fakeTimers();
    const warn = jest.spyOn(silentLogger, 'warn');
    const { engine, reports, ends } = startSession(FakeEngine.withFixtures(), { resyncMs: 1_000 });
    await until(() => reports.length === 1, 'the first sync has reported');
    engine.failList('listNetworkIds', engineError(500, 'engine busy'));

    // Act
    await jest.advanceTimersByTimeAsync(1_000);
    await until(() => warn.mock.calls.length === 1, 'the periodic resync has failed');
    await settle(); // the failed resync schedules the next one after its warning
    await jest.advanceTimersByTimeAsync(1_000);
    await until(() => reports.length === 2, 'the next periodic resync has reported');
    warn.mockRestore();

    // Assert
    expect(ends).toEqual([]);
    expect(reports.map((report) => report.trigger)).toEqual(['connect', 'periodic']);
    expect(engine.count('listContainerIds')).toBe(3);
  });

  it('should resolve cancel only after the sync in progress has finished', async () => {
    // Arrange: the sync is held while it reads the stored networks
    const store = new FlakyStore();
    const release = store.hold('list', 'Network');
    const { session, synced } = startSession(FakeEngine.withFixtures(), { store });
    await until(() => store.heldCalls === 1, 'the sync is held');
    let cancelled = false;

    // Act
    const cancelling = session.cancel().then(() => (cancelled = true));
    await settle();
    const cancelledWhileSyncing = cancelled;
    release();
    await cancelling;

    // Assert
    expect(cancelledWhileSyncing).toBe(false);
    expect((await store.names('Network')).length).toBeGreaterThan(0);
    expect(synced()).toBe(0);
  });

  it('should run a requested resync after the sync in progress, never alongside it', async () => {
    // Arrange
    const store = new FlakyStore();
    const release = store.hold('list', 'Network');
    const { session, reports } = startSession(FakeEngine.withFixtures(), { store });
    await until(() => store.heldCalls === 1, 'the sync is held');

    // Act
    const resync = session.resync('mirrorImages');
    await settle();
    const reportsWhileHeld = reports.length;
    release();
    const report = await resync;

    // Assert
    expect(reportsWhileHeld).toBe(0);
    expect(report.trigger).toBe('mirrorImages');
    expect(reports.map((r) => r.trigger)).toEqual(['connect', 'mirrorImages']);
  });
});
