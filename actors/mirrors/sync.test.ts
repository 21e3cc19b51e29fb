import { containerFixture, imageFixture, volumeFixture } from './mirrors.fixtures.js';
import { engineError, FakeEngine } from './fake-engine.fixtures.js';
import { settle, setupMirrors } from './mirror-supervisor.fixtures.js';
import { imageMirrorName } from '../../protocol/mirrors/image.schema.js';
import { volumeMirrorName } from '../../protocol/mirrors/volume.schema.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';

const web = containerFixture('web');
const exited = containerFixture('exited');

describe('syncMirrors', () => {
  it('should mirror every container, image, volume and network, and the moby namespace', async () => {
    // Arrange
    const { store, sync, engine } = setupMirrors();

    // Act
    const report = await sync();

    // Assert
    expect((await store.names('Container')).sort()).toEqual([web.Id, exited.Id].sort());
    const tagged = imageFixture('tagged');
    expect((await store.names('Image')).sort()).toEqual(
      tagged.RepoTags.map((tag) => imageMirrorName(tagged.Id, tag)).sort(),
    );
    expect(await store.names('Volume')).toEqual([volumeMirrorName('fxdata')]);
    expect(await store.names('Network')).toHaveLength(engine.networks.size);
    expect(await store.names('ContainerNamespace')).toEqual(['moby']);
    const mirrors = 2 + tagged.RepoTags.length + 1 + engine.networks.size + 1;
    expect(report).toMatchObject({ trigger: 'connect', created: mirrors, updated: 0, removed: 0, failed: 0 });
  });

  it('should write nothing the second time when the engine did not change', async () => {
    // Arrange
    const { store, sync } = setupMirrors();
    await sync();
    const writes = store.writes.length;

    // Act
    const report = await sync('periodic');

    // Assert
    expect(store.writes.length).toBe(writes);
    expect(report).toMatchObject({ created: 0, updated: 0, removed: 0, changed: [] });
  });

  it('should delete nothing when one inspect answers 503, keep that mirror and retry it later', async () => {
    // Arrange
    const { store, sync, engine, supervisor, reports } = setupMirrors();
    await sync();
    engine.fail('inspectContainer', web.Id, engineError(503, 'service unavailable'));
    const before = await store.get('Container', web.Id);

    // Act
    const report = await sync('reconnect');

    // Assert
    expect(report).toMatchObject({ failed: 1, removed: 0 });
    expect(await store.get('Container', web.Id)).toEqual(before);
    expect(store.writes.filter((write) => write.startsWith('delete'))).toEqual([]);
    expect(reports.map((event) => [event.type, event.child])).toEqual([
      ['crashed', `Container/${web.Id}`],
      ['restarting', `Container/${web.Id}`],
    ]);
    expect(supervisor.running('Container', web.Id)).toBeUndefined();
  });

  it('should remove a mirror whose object the list no longer has, once the engine confirms it is gone', async () => {
    // Arrange
    const { store, sync, engine } = setupMirrors();
    await sync();
    engine.containers.delete(exited.Id);
    engine.volumes.delete('fxdata');

    // Act
    const report = await sync('reconnect');

    // Assert
    expect(await store.names('Container')).toEqual([web.Id]);
    expect(await store.names('Volume')).toEqual([]);
    expect(report).toMatchObject({ removed: 2, failed: 0 });
  });

  it('should keep a mirror missing from the list when its inspect fails, rather than guess it is gone', async () => {
    // Arrange
    const { store, sync, engine } = setupMirrors();
    await sync();
    const vanishing = engine.containers.get(exited.Id)!;
    engine.containers.delete(exited.Id);
    engine.fail('inspectContainer', exited.Id, engineError(500, 'engine busy'));

    // Act
    await sync('reconnect');

    // Assert
    expect(await store.names('Container')).toContain(vanishing.Id);
  });

  it('should update a mirror in place across a reconnect, never deleting and recreating it', async () => {
    // Arrange
    const { store, sync, engine } = setupMirrors();
    await sync();
    engine.containers.get(web.Id)!.State.Status = 'exited';

    // Act
    await sync('reconnect');

    // Assert
    const writesOfWeb = store.writes.filter((write) => write.endsWith(web.Id));
    expect(writesOfWeb).toEqual([`put Container.${web.Id}`, `put Container.${web.Id}`]);
    expect((await store.get<Container>('Container', web.Id))?.status.status).toBe('exited');
  });

  it('should mirror an object created while the list was running once its buffered event is routed', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    const { store, sync, supervisor } = setupMirrors(engine);
    const lateId = 'f'.repeat(64);
    engine.duringList = () => engine.cloneContainer(web, lateId, 'late');

    // Act
    await sync();
    const afterSync = (await store.names('Container')).includes(lateId);
    supervisor.route({ Type: 'container', Action: 'create', Actor: { ID: lateId } });
    await settle();

    // Assert
    expect(afterSync).toBe(false);
    expect(await store.names('Container')).toContain(lateId);
  });

  it('should remove the image mirrors and run no image actor when mirrorImages is off', async () => {
    // Arrange
    const { store, sync, supervisor } = setupMirrors();
    await sync();

    // Act
    supervisor.setImagesEnabled(false);
    await sync('periodic');
    supervisor.route({ Type: 'image', Action: 'tag', Actor: { ID: imageFixture('tagged').Id } });
    await settle();

    // Assert
    expect(await store.names('Image')).toEqual([]);
    expect(supervisor.actorsOf('Image')).toEqual([]);
  });

  it('should give equal engine state byte-equal mirrors whatever order the engine lists things in', async () => {
    // Arrange
    const first = setupMirrors();
    await first.sync();
    const reordered = FakeEngine.withFixtures();
    const inspect = reordered.containers.get(web.Id)!;
    inspect.Config.Labels = Object.fromEntries(Object.entries(inspect.Config.Labels ?? {}).reverse());
    const second = setupMirrors(reordered);

    // Act
    await second.sync();

    // Assert
    const strip = (json = '') => json.replace(/"(observedAt|creationTimestamp|lastTransitionTime)":"[^"]*"/g, '');
    const firstText = await first.store.storedText(`Container.${web.Id}`);
    expect(firstText).toContain(web.Id);
    expect(strip(await second.store.storedText(`Container.${web.Id}`))).toBe(strip(firstText));
    expect(volumeFixture('fxdata').Name).toBe('fxdata');
  });
});
