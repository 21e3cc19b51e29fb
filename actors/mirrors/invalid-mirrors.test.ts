import type { Container } from '../../protocol/mirrors/container.schema.js';
import { containerNamespaceSchema } from '../../protocol/mirrors/container-namespace.schema.js';
import { containerSchema } from '../../protocol/mirrors/container.schema.js';
import { rejections } from '../bus/rejections.js';
import { keptDesiredStateKind, keptDesiredStates } from './kept-desired-states.js';
import { TestStore } from './nats-store.fixtures.js';
import { setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';
import { containerFixture } from './mirrors.fixtures.js';

const web = containerFixture('web');
const garbage = JSON.stringify({ apiVersion: 'x', kind: 'Container', metadata: {} });

afterEach(stopMirrors);

describe('a stored mirror that is not valid', () => {
  it('should be written over by the next sync even though its running actor saw no change', async () => {
    // Arrange
    const { store, sync } = setupMirrors();
    await sync();
    const good = await store.get<Container>('Container', web.Id);
    const planted = await store.plant(`Container.${web.Id}`, garbage);

    // Act
    const report = await sync('periodic');

    // Assert
    const repaired = await store.get<Container>('Container', web.Id);
    expect(containerSchema.safeParse(repaired).success).toBe(true);
    expect(Number(repaired?.metadata.resourceVersion)).toBeGreaterThan(planted);
    expect(repaired?.status).toEqual({ ...good?.status, observedAt: expect.any(String) });
    expect(repaired?.metadata.creationTimestamp).toBe(good?.metadata.creationTimestamp);
    expect(report).toMatchObject({ updated: 1, removed: 0, failed: 0 });
  });

  it('should keep the desired state its actor holds when the mirror is written over', async () => {
    // Arrange
    const { store, sync, supervisor } = setupMirrors();
    await sync();
    await supervisor.request('Container', web.Id, 'state', { state: 'paused' });
    await store.plant(`Container.${web.Id}`, garbage);

    // Act
    await sync('periodic');

    // Assert
    expect((await store.get<Container>('Container', web.Id))?.spec.state).toBe('paused');
  });

  it('should be written over when the daemon starts with it in the store', async () => {
    // Arrange
    const store = new TestStore();
    await store.plant(`Container.${web.Id}`, garbage);
    await store.plant('ContainerNamespace.moby', '{"not":"a namespace"}');
    const { sync } = setupMirrors(undefined, { store });

    // Act
    const report = await sync();

    // Assert
    expect(containerSchema.safeParse(await store.get('Container', web.Id)).success).toBe(true);
    expect(containerNamespaceSchema.safeParse(await store.get('ContainerNamespace', 'moby')).success).toBe(true);
    expect(report.failed).toBe(0);
  });

  it('should be removed when no engine object claims it', async () => {
    // Arrange
    const { store, sync } = setupMirrors();
    await sync();
    await store.plant('Container.no-such-container', garbage);
    expect(await store.names('Container')).toContain('no-such-container');

    // Act
    const report = await sync('periodic');

    // Assert
    expect(await store.names('Container')).not.toContain('no-such-container');
    expect(report).toMatchObject({ removed: 1, failed: 0 });
  });
});

describe('a kept desired state that is not valid', () => {
  it('should be left out and counted', async () => {
    // Arrange
    const store = new TestStore();
    const kept = (name: string, state: string) =>
      JSON.stringify({ apiVersion: 'x/v1', kind: keptDesiredStateKind, metadata: { name }, spec: { state } });
    await store.plant(`${keptDesiredStateKind}.good`, kept('good', 'paused'));
    await store.plant(`${keptDesiredStateKind}.bad`, kept('bad', 'flying'));
    const before = rejections.snapshot().bySource[`store.${keptDesiredStateKind}`] ?? 0;

    // Act
    const seeds = await keptDesiredStates(store);

    // Assert
    expect([...seeds.entries()]).toEqual([['good', { state: 'paused', generation: 1 }]]);
    expect(rejections.snapshot().bySource[`store.${keptDesiredStateKind}`]).toBe(before + 1);
  });
});
