import { waitFor } from 'xstate';
import {
  arrive,
  desired,
  SOCKET,
  startEngine,
  stopEngines,
  type Engine,
} from './engine-connection.machine.fixtures.js';

const threshold = 5_000;
const answeredAt = '2025-01-01T10:00:00.000Z';

/** A connected, synced engine whose pings the test controls and whose clock only moves when told. */
async function connectedEngine(): Promise<Engine> {
  const engine = startEngine({ unresponsiveAfter: threshold });
  await arrive.connected(engine);
  return engine;
}

/** A connection still in its first sync whose engine has stopped answering for the threshold. */
async function silentWhileSyncing(): Promise<Engine> {
  const engine = startEngine({ unresponsiveAfter: threshold });
  engine.send(desired(1, true));
  engine.connects[0]!.resolve({ clock: 1000 });
  await engine.reach('connected');
  engine.pingers[0]!.unanswered('ping timed out after 3 s', answeredAt);
  jest.advanceTimersByTime(threshold);
  return engine;
}

function liveness(engine: Engine): unknown {
  return (engine.actor.getSnapshot().value as { connected?: { liveness?: unknown } }).connected?.liveness;
}

beforeEach(() => {
  // Promises and XState's own scheduling stay real; only the timers the machine's delays use are faked.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
});
afterEach(() => {
  stopEngines();
  jest.useRealTimers();
});

describe('engineConnectionMachine liveness', () => {
  it('should report NotResponding, naming the socket, since when and why, once pings fail for the threshold', async () => {
    // Arrange
    const engine = await connectedEngine();
    const before = engine.reports.length;

    // Act
    engine.pingers[0]!.unanswered('ping timed out after 3 s', answeredAt);
    jest.advanceTimersByTime(threshold - 1);
    const reportsBeforeThreshold = engine.reports.length;
    jest.advanceTimersByTime(1);

    // Assert
    expect(reportsBeforeThreshold).toBe(before);
    expect(engine.reports.slice(before)).toEqual([
      {
        observedGeneration: 1,
        status: 'False',
        reason: 'NotResponding',
        message: `the engine at ${SOCKET} has not answered since ${answeredAt} (ping timed out after 3 s); its containers and mirrors are left as they are`,
      },
    ]);
    expect(engine.state()).toBe('connected');
    expect(engine.streams[0]!.cleanedUp).toBe(false);
  });

  it('should say nothing when a failed ping is followed by an answer within the threshold', async () => {
    // Arrange
    const engine = await connectedEngine();
    const before = engine.reports.length;

    // Act
    engine.pingers[0]!.unanswered('ping timed out after 3 s', answeredAt);
    jest.advanceTimersByTime(threshold - 1);
    engine.pingers[0]!.answered();
    jest.advanceTimersByTime(10 * threshold);

    // Assert
    expect(engine.reports.slice(before)).toEqual([]);
    expect(liveness(engine)).toBe('answering');
  });

  it('should go back to Connected on the first answer, keeping the stream, the connection and the mirrors', async () => {
    // Arrange
    const engine = await connectedEngine();
    engine.pingers[0]!.unanswered('ping timed out after 3 s', answeredAt);
    jest.advanceTimersByTime(threshold);
    expect(engine.last()).toMatchObject({ status: 'False', reason: 'NotResponding' });

    // Act
    engine.pingers[0]!.answered();

    // Assert
    expect(engine.last()).toEqual({
      observedGeneration: 1,
      status: 'True',
      reason: 'Connected',
      message: 'Container engine connected',
    });
    expect(engine.connects).toHaveLength(1);
    expect(engine.streams).toHaveLength(1);
    expect(engine.streams[0]!.cleanedUp).toBe(false);
    expect(engine.pingers[0]!.cleanedUp).toBe(false);
    expect(engine.sweepsStarted()).toBe(0);
  });

  it('should keep since at the first failure and report NotResponding only once while pings keep failing', async () => {
    // Arrange
    const engine = await connectedEngine();
    const before = engine.reports.length;

    // Act
    engine.pingers[0]!.unanswered('ping timed out after 3 s', answeredAt);
    engine.pingers[0]!.unanswered('connect EAGAIN', '2025-01-01T10:00:04.000Z');
    jest.advanceTimersByTime(threshold);
    engine.pingers[0]!.unanswered('ping timed out after 3 s', '2025-01-01T10:00:09.000Z');
    jest.advanceTimersByTime(10 * threshold);

    // Assert
    expect(engine.reports.slice(before)).toEqual([
      expect.objectContaining({
        reason: 'NotResponding',
        message: expect.stringContaining(`since ${answeredAt} (connect EAGAIN)`) as string,
      }),
    ]);
  });

  it('should answer a desired state with NotResponding at its generation while the engine is silent', async () => {
    // Arrange
    const engine = await connectedEngine();
    engine.pingers[0]!.unanswered('ping timed out after 3 s', answeredAt);
    jest.advanceTimersByTime(threshold);

    // Act
    engine.send(desired(2, true, { mirrorImages: false }));

    // Assert
    expect(engine.last()).toMatchObject({ observedGeneration: 2, status: 'False', reason: 'NotResponding' });
  });

  it('should keep NotResponding when the first sync ends during the silence, and then answer Connected', async () => {
    // Arrange
    const engine = await silentWhileSyncing();
    const whileSyncing = engine.last();

    // Act
    engine.streams[0]!.synced();
    const afterSync = engine.last();
    engine.pingers[0]!.answered();

    // Assert
    expect(whileSyncing).toMatchObject({ reason: 'NotResponding' });
    expect(afterSync).toMatchObject({ reason: 'NotResponding' });
    expect(engine.last()).toMatchObject({ status: 'True', reason: 'Connected' });
  });

  it('should go back to Syncing, not Connected, when the engine answers again before the first sync is done', async () => {
    // Arrange
    const engine = await silentWhileSyncing();

    // Act
    engine.pingers[0]!.answered();

    // Assert
    expect(engine.last()).toMatchObject({ status: 'False', reason: 'Syncing' });
  });

  it('should start a reconnection answering, with no doubt left from the silence before it', async () => {
    // Arrange
    const engine = startEngine({ unresponsiveAfter: threshold, reconnectDelay: 0 });
    await arrive.connected(engine);
    engine.pingers[0]!.unanswered('ping timed out after 3 s', answeredAt);
    jest.advanceTimersByTime(threshold);

    // Act
    engine.streams[0]!.end('EOF');
    jest.advanceTimersByTime(0);
    await waitFor(engine.actor, () => engine.connects.length === 2);
    engine.pingers[0]!.unanswered('late', answeredAt);
    engine.connects[1]!.resolve({ clock: 2000 });
    await engine.reach('connected');
    engine.streams[1]!.synced();
    jest.advanceTimersByTime(10 * threshold);

    // Assert
    expect(engine.pingers[0]!.cleanedUp).toBe(true);
    expect(engine.pingers[1]!.input).toEqual({ socket: SOCKET });
    expect(engine.reports.slice(-4).map((report) => report.reason)).toEqual([
      'NotResponding',
      'Disconnected',
      'Syncing',
      'Connected',
    ]);
  });
});
