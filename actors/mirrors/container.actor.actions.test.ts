import type { ActionReply } from '../../protocol/mirrors/commands.schema.js';
import { containerActionAnnotation, type Container } from '../../protocol/mirrors/container.schema.js';
import { engineError } from './fake-engine.fixtures.js';
import { FlakyStore } from './flaky-store.fixtures.js';
import { settle, setupMirrors, stopMirrors, until } from './mirror-supervisor.fixtures.js';
import { conditionOf, containerEvent, exited, GatedEngine, setState, stored, web } from './container-actor.fixtures.js';

afterEach(() => {
  stopMirrors();
  jest.useRealTimers();
});

describe('ContainerActor one-shot actions', () => {
  it('should answer a waited stop with its Succeeded lastAction and write it into status.lastAction', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();

    // Act
    const reply = (await supervisor.request('Container', web.Id, 'action', {
      action: 'stop',
      wait: true,
    })) as ActionReply;
    await settle();

    // Assert
    expect(reply).toMatchObject({ queued: false, lastAction: { action: 'stop', state: 'Succeeded' } });
    expect(engine.count('containerAction', `${web.Id}:stop`)).toBe(1);
    expect((await stored(store, web.Id)).status.lastAction).toEqual(reply.lastAction);
  });

  it('should answer a waited action only once the mirror shows its lastAction', async () => {
    // Arrange: Docker sends a stop's events before its call returns; their mirror write is slow (KV)
    const engine = new GatedEngine();
    const store = new FlakyStore();
    const { sync, supervisor } = setupMirrors(engine, { store });
    await sync();
    const releaseEngine = engine.holdActions();
    let shownWhenAnswered: unknown = 'not answered';
    const answered = supervisor.request('Container', web.Id, 'action', { action: 'stop' }).then((reply) => {
      shownWhenAnswered = (store.latest.get(`Container.${web.Id}`) as Container).status.lastAction;
      return reply as ActionReply;
    });
    await until(() => isRunning(store), 'the stop shows as Running');
    const releaseFirstWrite = store.hold('update', 'Container');
    setState(engine, web.Id, 'exited');
    supervisor.route(containerEvent('kill', web.Id));
    await until(() => store.heldCalls === 1, "the kill's write is held");

    // Act
    releaseEngine();
    await until(() => engine.actionsDone === 1, "the stop has finished while the kill's write is still under way");
    const releaseSecondWrite = store.hold('update', 'Container');
    releaseFirstWrite();
    await until(() => store.heldCalls === 2, "the stop's write is held");
    releaseSecondWrite();
    const reply = await answered;

    // Assert
    expect(reply.lastAction).toMatchObject({ action: 'stop', state: 'Succeeded' });
    expect(shownWhenAnswered).toEqual(reply.lastAction);
  });

  it('should queue an action without waiting and still record it when wait is false', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();

    // Act
    const reply = await supervisor.request('Container', web.Id, 'action', { action: 'pause', wait: false });
    await settle();

    // Assert
    expect(reply).toEqual({ queued: true });
    expect((await stored(store, web.Id)).status.lastAction).toMatchObject({ action: 'pause', state: 'Succeeded' });
  });

  it('should show the action annotation and lastAction Running while the action runs, and neither once it is done', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();
    const mark = store.history.length;

    // Act
    await supervisor.request('Container', web.Id, 'action', { action: 'pause' });
    await settle();

    // Assert
    const seen = store.history
      .slice(mark)
      .filter((entry) => entry.key === `Container.${web.Id}`)
      .map(({ resource }) => {
        const mirror = resource as Container;
        return [mirror.metadata.annotations?.[containerActionAnnotation], mirror.status.lastAction?.state];
      });
    expect(seen[0]).toEqual(['pause', 'Running']);
    expect(seen.at(-1)).toEqual([undefined, 'Succeeded']);
  });

  it('should fail an unpause without an engine call when the container is not running', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    engine.calls.length = 0;

    // Act
    const reply = (await supervisor.request('Container', exited.Id, 'action', { action: 'unpause' })) as ActionReply;
    await settle();

    // Assert
    expect(reply.lastAction).toMatchObject({
      action: 'unpause',
      state: 'Failed',
      error: `cannot unpause container ${exited.Id}: not running`,
    });
    expect(engine.count('containerAction')).toBe(0);
    expect((await stored(store, exited.Id)).status.lastAction).toEqual(reply.lastAction);
  });

  it("should report a Failed lastAction with the engine's message when the engine rejects the action", async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    engine.fail('containerAction', `${exited.Id}:start`, engineError(500, 'boom'));

    // Act
    const reply = (await supervisor.request('Container', exited.Id, 'action', { action: 'start' })) as ActionReply;
    await settle();

    // Assert
    expect(reply.lastAction).toMatchObject({ action: 'start', state: 'Failed' });
    expect(reply.lastAction?.error).toContain('boom');
    const mirror = await stored(store, exited.Id);
    expect(mirror.status.lastAction).toEqual(reply.lastAction);
    expect(mirror.status.status).toBe('exited');
  });

  it('should release a desired running when the user stops the container with an action', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();
    await supervisor.request('Container', web.Id, 'state', { state: 'running' });
    await settle();

    // Act
    await supervisor.request('Container', web.Id, 'action', { action: 'stop' });
    await settle();

    // Assert
    const mirror = await stored(store, web.Id);
    expect(mirror.spec.state).toBe('unknown');
    expect(conditionOf(mirror, 'Converged')?.message).toBe(
      'stop action requested while desired running; desired state released to unknown',
    );
  });

  it('should fail the action and leave no unhandled rejection when the write that shows it Running fails', async () => {
    // Arrange: the KV refuses the next mirror write (a timeout, no responders, out of storage)
    const store = new FlakyStore();
    const { sync, supervisor } = setupMirrors(new GatedEngine(), { store });
    await sync();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    store.failNext('update', new Error('KV write timed out'));

    try {
      // Act
      const answered = supervisor.request('Container', web.Id, 'action', { action: 'stop', wait: true });

      // Assert: the caller sees the failed write; the crash abandons the outcome nobody else awaits
      await expect(answered).rejects.toThrow('KV write timed out');
      await settle();
      for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

/** Whether the stored mirror of web shows an action Running. */
function isRunning(store: FlakyStore): boolean {
  const written = store.latest.get(`Container.${web.Id}`) as Container | undefined;
  return written?.status.lastAction?.state === 'Running';
}
