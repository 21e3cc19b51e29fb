import type { ContainerInspectInfo } from 'dockerode';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { FakeEngine } from './fake-engine.fixtures.js';
import { containerFixture, type ContainerFixture } from './mirrors.fixtures.js';
import { settle, setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';
import { conditionOf, containerEvent, exited, fakeTimers, setState, stored, web } from './container-actor.fixtures.js';

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
