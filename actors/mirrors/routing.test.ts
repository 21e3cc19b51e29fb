import type { Container } from '../../protocol/mirrors/container.schema.js';
import { imageMirrorName, type Image } from '../../protocol/mirrors/image.schema.js';
import { FakeEngine } from './fake-engine.fixtures.js';
import { containerFixture, imageFixture } from './mirrors.fixtures.js';
import { settle, setupMirrors } from './mirror-supervisor.fixtures.js';

const web = containerFixture('web');
const tagged = imageFixture('tagged');

describe('MirrorSupervisor routing', () => {
  it('should cost one inspect per event however many mirrors exist (O(1), no sweep)', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    for (let index = 0; index < 500; index += 1) {
      engine.cloneContainer(web, index.toString(16).padStart(64, '0'), `c${index}`);
    }
    const { sync, supervisor } = setupMirrors(engine);
    await sync();
    engine.calls.length = 0;

    // Act
    supervisor.route({ Type: 'container', Action: 'stop', Actor: { ID: web.Id } });
    await settle();

    // Assert
    expect(engine.calls).toEqual([{ method: 'inspectContainer', key: web.Id }]);
    expect(supervisor.size).toBeGreaterThan(500);
  }, 30_000);

  it('should coalesce a burst of events for one container into one inspect', async () => {
    // Arrange
    const { sync, supervisor, engine } = setupMirrors();
    await sync();
    engine.calls.length = 0;

    // Act
    for (const action of ['kill', 'die', 'stop']) {
      supervisor.route({ Type: 'container', Action: action, Actor: { ID: web.Id } });
    }
    await settle();

    // Assert
    expect(engine.count('inspectContainer', web.Id)).toBeLessThanOrEqual(2);
  });

  it('should follow a rename in place: same mirror, new status.name (I4)', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    engine.containers.get(web.Id)!.Name = '/renamed';

    // Act
    supervisor.route({ Type: 'container', Action: 'rename', Actor: { ID: web.Id, Attributes: { oldName: '/web' } } });
    await settle();

    // Assert
    const mirror = await store.get<Container>('Container', web.Id);
    expect(mirror?.status.name).toBe('renamed');
    expect(store.writes.filter((write) => write.startsWith('delete'))).toEqual([]);
  });

  it('should remove the mirror on destroy and not start an actor for an unknown destroyed container', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    engine.containers.delete(web.Id);

    // Act
    supervisor.route({ Type: 'container', Action: 'destroy', Actor: { ID: web.Id } });
    supervisor.route({ Type: 'container', Action: 'destroy', Actor: { ID: 'e'.repeat(64) } });
    await settle();

    // Assert
    expect(await store.names('Container')).not.toContain(web.Id);
    expect(supervisor.running('Container', web.Id)).toBeUndefined();
    expect(engine.count('inspectContainer', 'e'.repeat(64))).toBe(0);
  });

  it('should add a mirror for a new tag and remove only that one on untag', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    const before = (await store.names('Image')).length;
    engine.images.get(tagged.Id)!.RepoTags.push('fx/alias:1');

    // Act
    supervisor.route({ Type: 'image', Action: 'tag', Actor: { ID: tagged.Id, Attributes: { name: 'fx/alias:1' } } });
    await settle();
    const afterTag = await store.names('Image');
    engine.images.get(tagged.Id)!.RepoTags = engine.images.get(tagged.Id)!.RepoTags.filter((t) => t !== 'fx/alias:1');
    supervisor.route({ Type: 'image', Action: 'untag', Actor: { ID: tagged.Id } });
    await settle();

    // Assert
    expect(afterTag).toHaveLength(before + 1);
    expect(afterTag).toContain(imageMirrorName(tagged.Id, 'fx/alias:1'));
    expect(await store.names('Image')).toHaveLength(before);
    expect(await store.names('Image')).not.toContain(imageMirrorName(tagged.Id, 'fx/alias:1'));
  });

  it('should turn an image whose last tag went into one dangling mirror, and back when re-tagged', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    const tags = engine.images.get(tagged.Id)!.RepoTags;

    // Act
    engine.images.get(tagged.Id)!.RepoTags = [];
    supervisor.route({ Type: 'image', Action: 'untag', Actor: { ID: tagged.Id } });
    await settle();
    const dangling = await store.list<Image>('Image');
    engine.images.get(tagged.Id)!.RepoTags = [tags[0]!];
    supervisor.route({ Type: 'image', Action: 'tag', Actor: { ID: tagged.Id } });
    await settle();

    // Assert
    expect(dangling.map((image) => [image.metadata.name, image.status.repoTag])).toEqual([
      [imageMirrorName(tagged.Id), ''],
    ]);
    expect(await store.names('Image')).toEqual([imageMirrorName(tagged.Id, tags[0])]);
  });

  it('should resolve a pull by reference to the image ID, and make the image that lost the tag look again', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    const tag = engine.images.get(tagged.Id)!.RepoTags[0]!;
    const newer = structuredClone(engine.images.get(tagged.Id)!);
    newer.Id = `sha256:${'9'.repeat(64)}`;
    newer.RepoTags = [tag];
    engine.images.get(tagged.Id)!.RepoTags = engine.images.get(tagged.Id)!.RepoTags.filter((t) => t !== tag);
    engine.addImage(newer);

    // Act
    supervisor.route({ Type: 'image', Action: 'pull', Actor: { ID: tag } });
    await settle();

    // Assert
    const owners = (await store.list<Image>('Image')).filter((image) => image.status.repoTag === tag);
    expect(owners.map((image) => image.status.id)).toEqual([newer.Id]);
  });

  it('should update both the network and the container on connect', async () => {
    // Arrange
    const { sync, supervisor, engine } = setupMirrors();
    await sync();
    const networkId = [...engine.networks.keys()][0]!;
    engine.calls.length = 0;

    // Act
    supervisor.route({
      Type: 'network',
      Action: 'connect',
      Actor: { ID: networkId, Attributes: { container: web.Id } },
    });
    await settle();

    // Assert
    expect(engine.calls).toEqual(
      expect.arrayContaining([
        { method: 'inspectNetwork', key: networkId },
        { method: 'inspectContainer', key: web.Id },
      ]),
    );
    expect(engine.calls).toHaveLength(2);
  });
});
