import type { Container } from '../../protocol/mirrors/container.schema.js';
import { engineError, FakeEngine } from './fake-engine.fixtures.js';
import { Mailbox, MailboxClosedError } from './mailbox.js';
import { containerFixture } from './mirrors.fixtures.js';
import { settle, setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';

const web = containerFixture('web');

/** Timers the tests advance; setImmediate stays real so settle() still drains the mailboxes. */
const fakeTimers = () => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });

/** An engine with `count` running containers, c0…; returns their IDs too. */
function engineWith(count: number): { engine: FakeEngine; ids: string[] } {
  const engine = new FakeEngine();
  const ids = Array.from({ length: count }, (_, index) => index.toString(16).padStart(64, '0'));
  ids.forEach((id, index) => engine.cloneContainer(web, id, `c${index}`));
  return { engine, ids };
}

/** Makes the next inspect of `id` fail and routes an event for it: its actor crashes. */
function crash(setup: ReturnType<typeof setupMirrors>, id: string): void {
  setup.engine.fail('inspectContainer', id, engineError(503, 'service unavailable'));
  setup.supervisor.route({ Type: 'container', Action: 'update', Actor: { ID: id } });
}

/** A promise the test settles itself. */
function deferred<T = void>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

afterEach(() => {
  stopMirrors();
  jest.useRealTimers();
});

describe('MirrorSupervisor escalation', () => {
  it('should escalate once when more than intensity actors crash within the period', async () => {
    // Arrange
    const { engine, ids } = engineWith(5);
    const setup = setupMirrors(engine, { intensity: 2, periodMs: 10_000 });
    await setup.sync();

    // Act
    for (const id of ids) crash(setup, id);
    await settle();

    // Assert
    expect(setup.reports.filter((event) => event.type === 'crashed')).toHaveLength(5);
    expect(setup.escalations).toHaveLength(1);
    expect(setup.escalations[0]?.message).toMatch(
      /^more than 2 mirror actors crashed within 10000 ms; last: container 0+2: failed to inspect: .*service unavailable/,
    );
  });

  it('should not escalate when exactly intensity actors crash within the period', async () => {
    // Arrange
    const { engine, ids } = engineWith(2);
    const setup = setupMirrors(engine, { intensity: 2, periodMs: 10_000 });
    await setup.sync();

    // Act
    for (const id of ids) crash(setup, id);
    await settle();

    // Assert
    expect(setup.reports.filter((event) => event.type === 'crashed')).toHaveLength(2);
    expect(setup.escalations).toEqual([]);
  });

  it('should not escalate when the crashes are spread over more than the period', async () => {
    // Arrange
    fakeTimers();
    const { engine, ids } = engineWith(4);
    const setup = setupMirrors(engine, { intensity: 2, periodMs: 1_000 });
    await setup.sync();

    // Act
    for (const id of ids) {
      crash(setup, id);
      await settle();
      await jest.advanceTimersByTimeAsync(600);
    }

    // Assert
    expect(setup.reports.filter((event) => event.type === 'crashed')).toHaveLength(4);
    expect(setup.escalations).toEqual([]);
  });
});

describe('MirrorSupervisor restarts', () => {
  it('should restart a crashed actor with a backoff that grows with its crashes', async () => {
    // Arrange
    fakeTimers();
    const setup = setupMirrors();
    const { engine, store, supervisor, reports } = setup;
    await setup.sync();
    engine.fail('inspectContainer', web.Id, engineError(503, 'service unavailable'), 2);
    engine.containers.get(web.Id)!.Name = '/renamed';

    // Act
    supervisor.route({ Type: 'container', Action: 'rename', Actor: { ID: web.Id } });
    await settle();
    await jest.advanceTimersByTimeAsync(500); // the restart's inspect fails too
    await settle();
    await jest.advanceTimersByTimeAsync(999);
    await settle();
    const beforeSecondRestart = (await store.get<Container>('Container', web.Id))?.status.name;
    await jest.advanceTimersByTimeAsync(1);
    await settle();

    // Assert
    expect(reports.filter((event) => event.type === 'restarting')).toEqual([
      expect.objectContaining({ child: `Container/${web.Id}`, delayMs: 500, restarts: 1 }),
      expect.objectContaining({ child: `Container/${web.Id}`, delayMs: 1000, restarts: 2 }),
    ]);
    expect(beforeSecondRestart).toBe('web');
    expect((await store.get<Container>('Container', web.Id))?.status.name).toBe('renamed');
    expect(supervisor.stats.restarted).toBe(2);
  });

  it('should not restart a crashed actor once the supervisor has stopped', async () => {
    // Arrange
    fakeTimers();
    const setup = setupMirrors();
    await setup.sync();
    crash(setup, web.Id);
    await settle();

    // Act
    setup.supervisor.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    await settle();

    // Assert
    expect(setup.supervisor.stats.restarted).toBe(0);
    expect(setup.supervisor.size).toBe(0);
  });

  it('should answer NotFound for every mirror while its actors are stopped (before a sweep)', async () => {
    // Arrange
    const { sync, supervisor } = setupMirrors();
    await sync();

    // Act
    await supervisor.stopActors();

    // Assert
    await expect(supervisor.request('Container', web.Id, 'state', { state: 'running' })).rejects.toMatchObject({
      code: 'NotFound',
    });
    expect(supervisor.size).toBe(0);
  });
});

describe('Mailbox', () => {
  it('should run tasks one at a time in arrival order when an earlier task is slower', async () => {
    // Arrange
    const mailbox = new Mailbox();
    const order: string[] = [];
    const slow = deferred();
    const firstStarted = deferred();

    // Act
    const first = mailbox.run(async () => {
      order.push('first started');
      firstStarted.resolve();
      await slow.promise;
      order.push('first done');
    });
    const second = mailbox.run(() => {
      order.push('second');
      return Promise.resolve();
    });
    await firstStarted.promise;
    const whileSlow = [...order];
    slow.resolve();
    await Promise.all([first, second]);

    // Assert
    expect(whileSlow).toEqual(['first started']);
    expect(order).toEqual(['first started', 'first done', 'second']);
  });

  it('should run the next task when an earlier one failed', async () => {
    // Arrange
    const mailbox = new Mailbox();

    // Act
    const failing = mailbox.run(() => Promise.reject(new Error('inspect failed')));
    const next = mailbox.run(() => Promise.resolve('ran'));

    // Assert
    await expect(failing).rejects.toThrow('inspect failed');
    await expect(next).resolves.toBe('ran');
  });

  it('should coalesce observations that arrive while one waits into one task with every cause in order', async () => {
    // Arrange
    const mailbox = new Mailbox();
    const busy = deferred();
    void mailbox.run(() => busy.promise);
    const calls: string[][] = [];
    const task = (causes: string[]) => {
      calls.push([...causes]);
      return Promise.resolve(calls.length);
    };

    // Act
    const observed = [
      mailbox.observe('kill', task),
      mailbox.observe('die', task),
      mailbox.observe(undefined, task),
      mailbox.observe('stop', task),
    ];
    busy.resolve();
    const results = await Promise.all(observed);

    // Assert
    expect(calls).toEqual([['kill', 'die', 'stop']]);
    expect(results).toEqual([1, 1, 1, 1]);
  });

  it('should queue a new observation when the waiting one has already started', async () => {
    // Arrange
    const mailbox = new Mailbox();
    const calls: string[][] = [];
    const inspecting = deferred();
    const firstRunning = deferred();
    const first = mailbox.observe('start', async (causes) => {
      calls.push([...causes]);
      firstRunning.resolve();
      await inspecting.promise;
    });
    await firstRunning.promise;

    // Act
    const second = mailbox.observe('die', (causes) => {
      calls.push([...causes]);
      return Promise.resolve();
    });
    const third = mailbox.observe('stop', () => Promise.reject(new Error('never runs: joins the second')));
    inspecting.resolve();
    await Promise.all([first, second, third]);

    // Assert
    expect(calls).toEqual([['start'], ['die', 'stop']]);
  });

  it('should keep an observation after a task queued before it, and a task queued after it after it', async () => {
    // Arrange
    const mailbox = new Mailbox();
    const order: string[] = [];
    const record = (name: string) => () => {
      order.push(name);
      return Promise.resolve();
    };

    // Act
    const before = mailbox.run(record('command 1'));
    const observed = mailbox.observe('die', record('observe'));
    const after = mailbox.run(record('command 2'));
    const joined = mailbox.observe('stop', record('second observe'));
    await Promise.all([before, observed, after, joined]);

    // Assert
    expect(order).toEqual(['command 1', 'observe', 'command 2']);
  });

  it('should reject tasks after close and resolve close once the running task has finished', async () => {
    // Arrange
    const mailbox = new Mailbox();
    const running = deferred();
    const inHandStarted = deferred();
    let finished = false;
    let closed = false;
    let closedWhileRunning: boolean | undefined;
    const inHand = mailbox.run(async () => {
      inHandStarted.resolve();
      await running.promise;
      // Read as the task ends: a close that did not wait for it would have resolved by now.
      closedWhileRunning = closed;
      finished = true;
    });
    const queued = mailbox.run(() => Promise.resolve('ran'));
    await inHandStarted.promise;

    // Act
    const closing = mailbox.close().then(() => (closed = true));
    running.resolve();
    await closing;

    // Assert
    expect(closedWhileRunning).toBe(false);
    expect(finished).toBe(true);
    expect(mailbox.isClosed).toBe(true);
    await expect(inHand).resolves.toBeUndefined();
    await expect(queued).rejects.toBeInstanceOf(MailboxClosedError);
    await expect(mailbox.run(() => Promise.resolve())).rejects.toBeInstanceOf(MailboxClosedError);
  });
});
