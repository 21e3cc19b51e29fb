import type { Container } from '../../protocol/mirrors/container.schema.js';
import { exited, stored, web } from './container-actor.fixtures.js';
import { keptDesiredStateKind } from './kept-desired-states.js';
import { settle, setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';
import { sweepMirrors } from './sync.js';

afterEach(() => stopMirrors());

describe('desired states kept while the mirrors are swept', () => {
  it('should keep every spec.state other than unknown when the mirrors are swept, and nothing else', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();
    await supervisor.request('Container', exited.Id, 'state', { state: 'running' });
    await settle();

    // Act
    await sweepMirrors(supervisor, store);

    // Assert
    expect(await store.names('Container')).toEqual([]);
    expect(await store.names(keptDesiredStateKind)).toEqual([exited.Id]);
  });

  it('should give a container its kept desired state and generation back, converge it, and drop the kept copy', async () => {
    // Arrange
    const { sync, supervisor, store, engine } = setupMirrors();
    await sync();
    await supervisor.request('Container', exited.Id, 'state', { state: 'running' });
    await settle();
    const generation = (await stored(store, exited.Id)).metadata.generation;
    await sweepMirrors(supervisor, store);
    // The engine stopped with the App: the container is exited again when it comes back.
    await engine.containerAction(exited.Id, 'stop');
    engine.calls.length = 0;

    // Act
    await sync('reconnect');
    await settle();

    // Assert
    const mirror: Container = await stored(store, exited.Id);
    expect(mirror.spec.state).toBe('running');
    expect(mirror.metadata.generation).toBe(generation);
    expect(engine.count('containerAction', `${exited.Id}:start`)).toBe(1);
    expect(await store.names(keptDesiredStateKind)).toEqual([]);
    expect((await stored(store, web.Id)).spec.state).toBe('unknown');
  });

  it('should drop a kept desired state when the engine no longer has the container', async () => {
    // Arrange
    const { sync, supervisor, store, engine } = setupMirrors();
    await sync();
    await supervisor.request('Container', exited.Id, 'state', { state: 'paused' });
    await settle();
    await sweepMirrors(supervisor, store);
    await engine.removeContainer(exited.Id);

    // Act
    await sync('reconnect');

    // Assert
    expect(await store.names(keptDesiredStateKind)).toEqual([]);
    expect(await store.names('Container')).toEqual([web.Id]);
  });
});
