import { ApiError } from '../../protocol/errors.js';
import type { DeleteReply } from '../../protocol/mirrors/commands.schema.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { engineError, FakeEngine } from './fake-engine.fixtures.js';
import { FlakyStore } from './flaky-store.fixtures.js';
import { settle, setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';
import { conditionOf, containerEvent, exited, fakeTimers, setState, stored, web } from './container-actor.fixtures.js';

afterEach(() => {
  stopMirrors();
  jest.useRealTimers();
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

  it('should answer the would-be mirror for a dry-run state, storing and starting nothing', async () => {
    // Arrange
    const { sync, supervisor, store, engine } = setupMirrors();
    await sync();
    const before = await stored(store, exited.Id);
    engine.calls.length = 0;

    // Act
    const answer = await supervisor.request('Container', exited.Id, 'state', { state: 'running', dryRun: true });
    await settle();

    // Assert
    expect(answer).toMatchObject({ spec: { state: 'running' }, metadata: { name: exited.Id } });
    expect(await stored(store, exited.Id)).toEqual(before);
    expect(engine.calls.filter((call) => !call.method.startsWith('inspect'))).toEqual([]);
  });

  it('should answer NotFound for a dry-run state of a missing container', async () => {
    // Arrange
    const { sync, supervisor } = setupMirrors();
    await sync();

    // Act
    const answer = supervisor.request('Container', 'f'.repeat(64), 'state', { state: 'running', dryRun: true });

    // Assert
    await expect(answer).rejects.toMatchObject({ code: 'NotFound' });
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
    expect(await store.names('ContainerNamespace')).toEqual(['moby']);
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
    expect(await store.names('Container')).not.toContain(web.Id);
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
    expect(await store.names('Container')).not.toContain(web.Id);
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
    expect(reply).toEqual({
      deleted: false,
      message: 'cannot delete container web: driver busy',
      refused: {
        object: 'container web',
        reason: 'EngineError',
        engineMessage: 'driver busy',
        heldBy: [],
        forceRemoves: false,
      },
    });
    expect(refused.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(conditionOf(refused, 'DeleteFailed')).toMatchObject({
      status: 'True',
      reason: 'EngineError',
      message: expect.stringContaining('driver busy'),
    });
    expect(engine.count('removeContainer', web.Id)).toBe(2);
    expect(await store.names('Container')).not.toContain(web.Id);
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
