import type { ContainerInspectInfo } from 'dockerode';
import { findCondition } from '../../protocol/condition.schema.js';
import { ApiError } from '../../protocol/errors.js';
import type { ActionReply, DeleteReply } from '../../protocol/mirrors/commands.schema.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { engineError, FakeEngine } from './fake-engine.fixtures.js';
import { FlakyStore } from './flaky-store.fixtures.js';
import { containerFixture, type ContainerFixture } from './mirrors.fixtures.js';
import { settle, setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';

const web = containerFixture('web');
const exited = containerFixture('exited');

/** Timers the tests advance; setImmediate stays real so settle() still drains the mailboxes. */
const fakeTimers = () => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });

function containerEvent(Action: string, id: string) {
  return { Type: 'container', Action, Actor: { ID: id } };
}

/** Sets the fake's state of container `id` as Docker would after someone else's command. */
function setState(engine: FakeEngine, id: string, status: string): void {
  const inspect = engine.containers.get(id)!;
  inspect.State = { ...inspect.State, Status: status, Running: status === 'running', Paused: status === 'paused' };
}

async function stored(store: { get: FlakyStore['get'] }, id: string): Promise<Container> {
  const mirror = await store.get<Container>('Container', id);
  if (!mirror) throw new Error(`no Container mirror ${id}`);
  return mirror;
}

function conditionOf(mirror: Container, type: string) {
  return findCondition(mirror.status.conditions, type);
}

/** A fake engine whose container actions finish only when the test says so. */
class GatedEngine extends FakeEngine {
  private gate: Promise<void> | null = null;

  constructor() {
    super();
    for (const name of ['web', 'exited'] as const) this.addContainer(containerFixture(name));
  }

  holdActions(): () => void {
    let release: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  override async containerAction(...args: Parameters<FakeEngine['containerAction']>): Promise<void> {
    const gate = this.gate;
    if (gate) await gate;
    return super.containerAction(...args);
  }
}

afterEach(() => {
  stopMirrors();
  jest.useRealTimers();
});

describe('ContainerActor desired state', () => {
  it('should start an exited container once and bump the generation when spec.state becomes running', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    const before = await stored(store, exited.Id);
    engine.calls.length = 0;

    // Act
    const reply = (await supervisor.request('Container', exited.Id, 'state', { state: 'running' })) as Container;
    await settle();
    supervisor.route(containerEvent('start', exited.Id)); // what the engine sends for rdd's start
    await settle();

    // Assert
    expect(before.metadata.generation).toBe(1);
    expect(engine.count('containerAction')).toBe(1);
    expect(engine.count('containerAction', `${exited.Id}:start`)).toBe(1);
    expect(reply.spec.state).toBe('running');
    expect(reply.metadata.generation).toBe(2);
    const mirror = await stored(store, exited.Id);
    expect(mirror.spec.state).toBe('running');
    expect(mirror.metadata.generation).toBe(2);
    expect(mirror.status.status).toBe('running');
    expect(conditionOf(mirror, 'Converged')).toMatchObject({
      status: 'True',
      reason: 'Converged',
      observedGeneration: 2,
    });
    expect(conditionOf(mirror, 'Running')).toMatchObject({ status: 'True', reason: 'Running' });
  });

  it('should call the engine never and report Converged when the container is already as desired', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    engine.calls.length = 0;

    // Act
    await supervisor.request('Container', web.Id, 'state', { state: 'running' });
    await settle();

    // Assert
    expect(engine.count('containerAction')).toBe(0);
    const mirror = await stored(store, web.Id);
    expect(mirror.spec.state).toBe('running');
    expect(conditionOf(mirror, 'Converged')).toMatchObject({ status: 'True', reason: 'Converged' });
  });

  it('should not bump the generation when the same desired state is set again', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();
    await supervisor.request('Container', web.Id, 'state', { state: 'running' });
    await settle();

    // Act
    await supervisor.request('Container', web.Id, 'state', { state: 'running' });
    await settle();

    // Assert
    expect((await stored(store, web.Id)).metadata.generation).toBe(2);
  });

  it.each<[string, ContainerFixture | 'dead', Record<'Running' | 'Paused' | 'Restarting' | 'Dead', 'True' | 'False'>]>([
    ['running', 'web', { Running: 'True', Paused: 'False', Restarting: 'False', Dead: 'False' }],
    ['paused', 'paused', { Running: 'False', Paused: 'True', Restarting: 'False', Dead: 'False' }],
    ['restarting', 'flappy', { Running: 'False', Paused: 'False', Restarting: 'True', Dead: 'False' }],
    ['dead', 'dead', { Running: 'False', Paused: 'False', Restarting: 'False', Dead: 'True' }],
    ['exited', 'exited', { Running: 'False', Paused: 'False', Restarting: 'False', Dead: 'False' }],
    ['created', 'created', { Running: 'False', Paused: 'False', Restarting: 'False', Dead: 'False' }],
  ])('should set the state conditions from the status when the container is %s', async (_status, fixture, expected) => {
    // Arrange
    const engine = new FakeEngine();
    const inspect: ContainerInspectInfo =
      fixture === 'dead'
        ? { ...containerFixture('exited'), Id: 'd'.repeat(64), Name: '/dead' }
        : containerFixture(fixture);
    engine.addContainer(inspect);
    if (fixture === 'dead') setState(engine, inspect.Id, 'dead');
    const { sync, store } = setupMirrors(engine);

    // Act
    await sync();

    // Assert
    const mirror = await stored(store, inspect.Id);
    const statuses = Object.fromEntries(
      (['Running', 'Paused', 'Restarting', 'Dead'] as const).map((type) => [type, conditionOf(mirror, type)?.status]),
    );
    expect(statuses).toEqual(expected);
  });

  it('should flip the Running condition when an event shows the container stopped', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    setState(engine, web.Id, 'exited');

    // Act
    supervisor.route(containerEvent('die', web.Id));
    await settle();

    // Assert
    const mirror = await stored(store, web.Id);
    expect(mirror.status.status).toBe('exited');
    expect(conditionOf(mirror, 'Running')).toMatchObject({ status: 'False', reason: 'NotRunning' });
  });
});

describe('ContainerActor conflicts', () => {
  it.each([
    // A stop signals first: its kill event is the one that reveals it.
    ['docker stop', ['kill', 'die', 'stop'], 'exited', 'stop or kill'],
    ['docker kill', ['kill', 'die'], 'exited', 'stop or kill'],
    ['docker pause', ['pause'], 'paused', 'pause'],
  ])(
    'should release spec.state to unknown without an engine call when someone else runs %s',
    async (_command, actions, status, seen) => {
      // Arrange
      const { sync, supervisor, engine, store } = setupMirrors();
      await sync();
      await supervisor.request('Container', web.Id, 'state', { state: 'running' });
      await settle();
      engine.calls.length = 0;

      // Act
      setState(engine, web.Id, status);
      for (const action of actions) supervisor.route(containerEvent(action, web.Id));
      await settle();

      // Assert
      expect(engine.count('containerAction')).toBe(0);
      const mirror = await stored(store, web.Id);
      expect(mirror.spec.state).toBe('unknown');
      expect(mirror.metadata.generation).toBe(3);
      expect(conditionOf(mirror, 'Converged')).toMatchObject({
        status: 'True',
        reason: 'Observing',
        message: `docker ${seen} outside rdd; desired state released to unknown`,
      });
    },
  );

  it('should keep spec.state when its own start produces the start event', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();

    // Act
    await supervisor.request('Container', exited.Id, 'state', { state: 'running' });
    await settle();
    supervisor.route(containerEvent('start', exited.Id));
    await settle();

    // Assert
    expect((await stored(store, exited.Id)).spec.state).toBe('running');
  });
});

describe('ContainerActor crashes', () => {
  it('should report CrashLoopBackOff and start the container after the crash-loop delay when it dies by itself', async () => {
    // Arrange
    fakeTimers();
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    await supervisor.request('Container', web.Id, 'state', { state: 'running' });
    await settle();
    engine.calls.length = 0;

    // Act
    setState(engine, web.Id, 'exited');
    supervisor.route(containerEvent('die', web.Id));
    await settle();
    const during = await stored(store, web.Id);
    const startsBeforeDelay = engine.count('containerAction', `${web.Id}:start`);
    await jest.advanceTimersByTimeAsync(999);
    const startsJustBefore = engine.count('containerAction', `${web.Id}:start`);
    await jest.advanceTimersByTimeAsync(1);
    await settle();

    // Assert
    expect(during.spec.state).toBe('running');
    expect(conditionOf(during, 'Converged')).toMatchObject({
      status: 'False',
      reason: 'CrashLoopBackOff',
      message: `container ${web.Id} crashed (exited) 1 time; restarting in 1s`,
    });
    expect([startsBeforeDelay, startsJustBefore]).toEqual([0, 0]);
    expect(engine.count('containerAction', `${web.Id}:start`)).toBe(1);
    expect(engine.containers.get(web.Id)!.State.Status).toBe('running');
  });
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
      shownWhenAnswered = (JSON.parse(store.entries.get(`Container.${web.Id}`)!.json) as Container).status.lastAction;
      return reply as ActionReply;
    });
    await settle();
    const releaseFirstWrite = store.hold('update', 'Container');
    setState(engine, web.Id, 'exited');
    supervisor.route(containerEvent('kill', web.Id));
    await settle(); // the kill's write is held

    // Act
    releaseEngine();
    await settle(); // the stop has finished while the kill's write is still under way
    const releaseSecondWrite = store.hold('update', 'Container');
    releaseFirstWrite();
    await settle();
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
});

describe('ContainerActor requests', () => {
  it('should answer requests for a container mirrored before a daemon restart', async () => {
    // Arrange: the first daemon mirrored the containers; the second starts on the same store
    const first = setupMirrors();
    await first.sync();
    stopMirrors();
    const { sync, supervisor, store } = setupMirrors(FakeEngine.withFixtures(), { store: first.store });
    await sync();

    // Act
    const answer = supervisor.request('Container', web.Id, 'state', { state: 'running' });

    // Assert
    await expect(answer).resolves.toMatchObject({ spec: { state: 'running' } });
    expect((await stored(store, web.Id)).spec.state).toBe('running');
  });

  it.each<[string, string, unknown]>([
    ['a state outside the list', 'state', { state: 'sleeping' }],
    ['a state body without state', 'state', {}],
    ['a state body with an extra field', 'state', { state: 'running', force: true }],
    ['a non-object state body', 'state', 'running'],
    ['an unknown action', 'action', { action: 'explode' }],
    ['a wait that is not a boolean', 'action', { action: 'stop', wait: 'yes' }],
    ['a force that is not a boolean', 'delete', { force: 'yes' }],
    ['an unknown verb', 'restart', {}],
  ])('should answer Invalid when the request has %s', async (_name, verb, body) => {
    // Arrange
    const { sync, supervisor, engine } = setupMirrors();
    await sync();
    engine.calls.length = 0;

    // Act
    const answer = supervisor.request('Container', web.Id, verb, body);

    // Assert
    await expect(answer).rejects.toBeInstanceOf(ApiError);
    await expect(answer).rejects.toMatchObject({ code: 'Invalid' });
    expect(engine.calls).toEqual([]);
  });

  it('should answer NotFound when no container has that name', async () => {
    // Arrange
    const { sync, supervisor } = setupMirrors();
    await sync();

    // Act
    const answer = supervisor.request('Container', 'f'.repeat(64), 'state', { state: 'running' });

    // Assert
    await expect(answer).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('should answer Forbidden, saying rdd manages it, when a user deletes the ContainerNamespace', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();

    // Act
    const answer = supervisor.request('ContainerNamespace', 'moby', 'delete', {});

    // Assert
    await expect(answer).rejects.toMatchObject({
      code: 'Forbidden',
      message: expect.stringMatching(/ContainerNamespace\/moby is managed by rdd.*cannot be deleted/),
    });
    expect(store.names('ContainerNamespace')).toEqual(['moby']);
  });
});

describe('ContainerActor delete', () => {
  it('should remove the container, then its mirror, and stop its actor', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();

    // Act
    const reply = (await supervisor.request('Container', web.Id, 'delete', {})) as DeleteReply;
    await settle();

    // Assert
    expect(reply).toEqual({ deleted: true, message: `container ${web.Id} deleted` });
    expect(engine.count('removeContainer', web.Id)).toBe(1);
    expect(engine.containers.has(web.Id)).toBe(false);
    expect(store.names('Container')).not.toContain(web.Id);
    expect(supervisor.running('Container', web.Id)).toBeUndefined();
    await expect(supervisor.request('Container', web.Id, 'delete', {})).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('should count a container the engine no longer has (a 404 on remove) as deleted', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    engine.containers.delete(web.Id); // someone ran docker rm; its destroy event is still on its way

    // Act
    const reply = (await supervisor.request('Container', web.Id, 'delete', {})) as DeleteReply;
    await settle();

    // Assert
    expect(reply.deleted).toBe(true);
    expect(store.names('Container')).not.toContain(web.Id);
    expect(supervisor.running('Container', web.Id)).toBeUndefined();
  });

  it('should keep the mirror marked with DeleteFailed when the engine refuses, and retry after the delay', async () => {
    // Arrange
    fakeTimers();
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    engine.fail('removeContainer', web.Id, engineError(500, 'driver busy'));

    // Act
    const reply = (await supervisor.request('Container', web.Id, 'delete', {})) as DeleteReply;
    await settle();
    const refused = await stored(store, web.Id);
    await jest.advanceTimersByTimeAsync(1000);
    await settle();

    // Assert
    expect(reply).toEqual({ deleted: false, message: 'driver busy' });
    expect(refused.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(conditionOf(refused, 'DeleteFailed')).toMatchObject({
      status: 'True',
      reason: 'EngineRefused',
      message: expect.stringContaining('driver busy'),
    });
    expect(engine.count('removeContainer', web.Id)).toBe(2);
    expect(store.names('Container')).not.toContain(web.Id);
  });
});

describe('ContainerActor crash and restart', () => {
  it('should crash, report it, and rewrite the mirror after the restart delay when a store write fails', async () => {
    // Arrange
    fakeTimers();
    const store = new FlakyStore();
    const { sync, supervisor, engine, reports } = setupMirrors(FakeEngine.withFixtures(), { store });
    await sync();
    store.failNext('update', new Error('kv unavailable'));
    setState(engine, web.Id, 'exited');

    // Act
    supervisor.route(containerEvent('die', web.Id));
    await settle();
    const afterCrash = { running: supervisor.running('Container', web.Id), mirror: await stored(store, web.Id) };
    await jest.advanceTimersByTimeAsync(499);
    await settle();
    const beforeDelay = (await stored(store, web.Id)).status.status;
    await jest.advanceTimersByTimeAsync(1);
    await settle();

    // Assert
    expect(reports).toEqual([
      expect.objectContaining({
        supervisor: 'mirrors',
        child: `Container/${web.Id}`,
        type: 'crashed',
        error: expect.objectContaining({ message: expect.stringContaining('kv unavailable') }),
      }),
      expect.objectContaining({ child: `Container/${web.Id}`, type: 'restarting', delayMs: 500, restarts: 1 }),
    ]);
    expect(afterCrash.running).toBeUndefined();
    expect(afterCrash.mirror.status.status).toBe('running');
    expect(beforeDelay).toBe('running');
    expect((await stored(store, web.Id)).status.status).toBe('exited');
    expect(supervisor.running('Container', web.Id)).toBeDefined();
    expect(supervisor.stats.restarted).toBe(1);
  });

  it('should answer requests, with the desired state kept, when the actor was restarted after a crash', async () => {
    // Arrange
    fakeTimers();
    const store = new FlakyStore();
    const { sync, supervisor, engine } = setupMirrors(FakeEngine.withFixtures(), { store });
    await sync();
    await supervisor.request('Container', exited.Id, 'state', { state: 'running' });
    await settle();
    supervisor.route(containerEvent('start', exited.Id));
    await settle();
    engine.fail('inspectContainer', exited.Id, engineError(503, 'service unavailable'));

    // Act
    supervisor.route(containerEvent('update', exited.Id));
    await settle();
    await jest.advanceTimersByTimeAsync(500);
    await settle();
    const answer = await supervisor.request('Container', exited.Id, 'state', { state: 'running' });

    // Assert
    expect((answer as Container).spec.state).toBe('running');
    expect((answer as Container).metadata.generation).toBe(2);
  });
});
