import { findCondition } from '../../protocol/condition.schema.js';
import type { DeleteReply } from '../../protocol/mirrors/commands.schema.js';
import { imageMirrorName, type Image } from '../../protocol/mirrors/image.schema.js';
import { networkMirrorName, type Network } from '../../protocol/mirrors/network.schema.js';
import { volumeMirrorName, type Volume } from '../../protocol/mirrors/volume.schema.js';
import { imageMirrors } from './build-image.js';
import { volumeMirror } from './build-volume.js';
import { deleteForceAnnotation } from './deletion.js';
import { FakeEngine } from './fake-engine.fixtures.js';
import { TestStore } from './nats-store.fixtures.js';
import { containerFixture, imageFixture, networkFixture, OPTIONS, volumeFixture } from './mirrors.fixtures.js';
import { settle, setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';

const tagged = imageFixture('tagged');
const [LATEST, V1] = tagged.RepoTags as [string, string];
const latestName = imageMirrorName(tagged.Id, LATEST);
const v1Name = imageMirrorName(tagged.Id, V1);
const web = containerFixture('web');
const exited = containerFixture('exited');

/** Timers the tests advance; setImmediate stays real so settle() still drains the mailboxes. */
const fakeTimers = () => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });

/** An engine with the tagged image and nothing that uses it. */
function unusedImageEngine(): FakeEngine {
  const engine = new FakeEngine();
  engine.addImage(imageFixture('tagged'));
  return engine;
}

/** Drains the mailboxes and fires the timers due now: a retry "at once" is a timer of 0 ms. */
async function settleNow(): Promise<void> {
  await settle();
  await jest.advanceTimersByTimeAsync(1);
  await settle();
}

beforeEach(() => fakeTimers());

afterEach(() => {
  stopMirrors();
  jest.useRealTimers();
});

describe('EngineObjectActor image delete', () => {
  it("should keep the mirror marked with the engine's refusal when an image in use is deleted without force", async () => {
    // Arrange: web and exited both run the tagged image
    const { sync, supervisor, store, engine } = setupMirrors();
    await sync();

    // Act
    const reply = (await supervisor.request('Image', latestName, 'delete', {})) as DeleteReply;
    await settleNow();

    // Assert
    const refusal = `conflict: unable to remove repository reference "${LATEST}" (must force)`;
    expect(reply).toMatchObject({
      deleted: false,
      message: expect.stringContaining(`cannot delete image ${LATEST}: ${refusal}`),
    });
    expect(engine.count('removeImage', LATEST)).toBe(1);
    const mirror = await store.get<Image>('Image', latestName);
    expect(mirror?.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(findCondition(mirror?.status.conditions, 'DeleteFailed')).toMatchObject({
      status: 'True',
      reason: 'InUse',
      message: expect.stringContaining(refusal),
    });
    expect(findCondition(mirror?.status.conditions, 'DeleteFailed')?.message).toContain('--force');
    expect(engine.images.get(tagged.Id)?.RepoTags).toEqual([LATEST, V1]);
  });

  it('should retry the delete and remove the mirror once the container using the image goes', async () => {
    // Arrange
    const { sync, supervisor, store, engine } = setupMirrors();
    await sync();
    await supervisor.request('Image', latestName, 'delete', {});
    await settleNow();

    // Act: both users of the image are removed (docker rm), and their destroy events arrive
    for (const id of [web.Id, exited.Id]) {
      engine.containers.delete(id);
      supervisor.route({ Type: 'container', Action: 'destroy', Actor: { ID: id } });
    }
    await settleNow();

    // Assert
    expect(engine.count('removeImage', LATEST)).toBe(2);
    expect(engine.images.get(tagged.Id)?.RepoTags).toEqual([V1]);
    expect(await store.names('Image')).toEqual([v1Name]);
  });

  it('should retry with a growing backoff while the engine keeps refusing', async () => {
    // Arrange
    const { sync, supervisor, store, engine } = setupMirrors();
    await sync();
    await supervisor.request('Image', latestName, 'delete', {});
    await settle();

    // Act
    await jest.advanceTimersByTimeAsync(1000); // first retry after 1 s
    await settle();
    const afterFirstRetry = engine.count('removeImage', LATEST);
    engine.containers.delete(web.Id);
    engine.containers.delete(exited.Id);
    await jest.advanceTimersByTimeAsync(1999);
    await settle();
    const beforeSecondRetry = engine.count('removeImage', LATEST);
    await jest.advanceTimersByTimeAsync(1); // second retry after 2 s more
    await settle();

    // Assert
    expect([afterFirstRetry, beforeSecondRetry]).toEqual([2, 2]);
    expect(engine.count('removeImage', LATEST)).toBe(3);
    expect(await store.names('Image')).toEqual([v1Name]);
  });

  it('should remove an image in use at once when the delete is forced', async () => {
    // Arrange
    const { sync, supervisor, store, engine } = setupMirrors();
    await sync();

    // Act
    const reply = (await supervisor.request('Image', latestName, 'delete', { force: true })) as DeleteReply;
    await settleNow();

    // Assert
    expect(reply).toEqual({ deleted: true, message: `image ${LATEST} deleted` });
    expect(engine.calls).toContainEqual({ method: 'removeImage', key: LATEST });
    expect(engine.images.get(tagged.Id)?.RepoTags).toEqual([V1]);
    expect(await store.names('Image')).toEqual([v1Name]);
  });

  it('should remove only the mirror of the deleted tag when the image has two tags', async () => {
    // Arrange
    const { sync, supervisor, store, engine } = setupMirrors(unusedImageEngine());
    await sync();

    // Act
    const reply = (await supervisor.request('Image', v1Name, 'delete', {})) as DeleteReply;
    await settleNow();

    // Assert
    expect(reply.deleted).toBe(true);
    expect(engine.count('removeImage', V1)).toBe(1);
    expect(await store.names('Image')).toEqual([latestName]);
    expect(supervisor.running('Image', tagged.Id)).toBeDefined();
    await expect(supervisor.request('Image', v1Name, 'delete', {})).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('should stop the image actor and remove the dangling mirror when the last tag is deleted', async () => {
    // Arrange
    const engine = unusedImageEngine();
    engine.images.get(tagged.Id)!.RepoTags = [LATEST];
    const { sync, supervisor, store } = setupMirrors(engine);
    await sync();

    // Act
    const reply = (await supervisor.request('Image', latestName, 'delete', {})) as DeleteReply;
    await settleNow();

    // Assert
    expect(reply.deleted).toBe(true);
    expect(await store.names('Image')).toEqual([]);
    expect(supervisor.running('Image', tagged.Id)).toBeUndefined();
  });

  it('should answer Invalid when an image is asked for a container verb', async () => {
    // Arrange
    const { sync, supervisor } = setupMirrors();
    await sync();

    // Act
    const answer = supervisor.request('Image', latestName, 'state', { state: 'running' });

    // Assert
    await expect(answer).rejects.toMatchObject({
      code: 'Invalid',
      message: 'Image mirrors have no state; only containers do',
    });
  });
});

describe('EngineObjectActor volumes and networks', () => {
  it('should remove a volume and its mirror on delete', async () => {
    // Arrange
    const { sync, supervisor, store, engine } = setupMirrors();
    await sync();

    // Act
    const reply = (await supervisor.request('Volume', volumeMirrorName('fxdata'), 'delete', {})) as DeleteReply;
    await settleNow();

    // Assert
    expect(reply).toEqual({ deleted: true, message: 'volume fxdata deleted' });
    expect(engine.count('removeVolume', 'fxdata')).toBe(1);
    expect(await store.names('Volume')).toEqual([]);
    expect(supervisor.running('Volume', 'fxdata')).toBeUndefined();
  });

  it('should remove a user network and its mirror on delete', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    const fx = networkFixture('fx');
    engine.networks.get(fx.Id)!.Containers = {};
    const { sync, supervisor, store } = setupMirrors(engine);
    await sync();

    // Act
    const reply = (await supervisor.request('Network', networkMirrorName(fx.Id), 'delete', {})) as DeleteReply;
    await settleNow();

    // Assert
    expect(reply.deleted).toBe(true);
    expect(engine.count('removeNetwork', fx.Id)).toBe(1);
    expect(await store.names('Network')).toEqual([]);
  });

  it.each(['bridge', 'host', 'none'] as const)(
    'should answer Forbidden without an engine call when the predefined network %s is deleted',
    async (name) => {
      // Arrange
      const engine = new FakeEngine();
      const network =
        name === 'bridge' ? { ...networkFixture('fx'), Name: 'bridge', Id: 'b'.repeat(64) } : networkFixture(name);
      engine.addNetwork(network);
      const { sync, supervisor, store } = setupMirrors(engine);
      await sync();

      // Act
      const answer = supervisor.request('Network', networkMirrorName(network.Id), 'delete', { force: true });

      // Assert
      await expect(answer).rejects.toMatchObject({
        code: 'Forbidden',
        message: `network ${name} is predefined by the engine (bridge, host and none cannot be deleted)`,
      });
      expect(engine.count('removeNetwork')).toBe(0);
      const mirror = await store.get<Network>('Network', networkMirrorName(network.Id));
      expect(mirror?.metadata.deletionTimestamp).toBeUndefined();
    },
  );
});

describe('EngineObjectActor deletion across a daemon restart', () => {
  it('should resume the delete of a stored mirror marked for deletion after a sync', async () => {
    // Arrange: the daemon stopped after marking the volume, before the engine removed it
    const store = new TestStore();
    const marked = volumeMirror(volumeFixture('fxdata'), OPTIONS);
    await store.create({ ...marked, metadata: { ...marked.metadata, deletionTimestamp: '2026-11-26T14:00:00.000Z' } });
    const { sync, engine } = setupMirrors(FakeEngine.withFixtures(), { store });

    // Act
    await sync('connect');
    await settleNow();

    // Assert
    expect(engine.count('removeVolume', 'fxdata')).toBe(1);
    expect(engine.volumes.has('fxdata')).toBe(false);
    expect(await store.names('Volume')).toEqual([]);
  });

  it('should resume a forced image delete with force after a sync', async () => {
    // Arrange: a forced delete of an image in use was marked, then the daemon stopped
    const store = new TestStore();
    const latest = imageMirrors(imageFixture('tagged'), OPTIONS).find((image) => image.status.repoTag === LATEST)!;
    await store.create({
      ...latest,
      metadata: {
        ...latest.metadata,
        deletionTimestamp: '2026-11-26T14:00:00.000Z',
        annotations: { [deleteForceAnnotation]: 'true' },
      },
    });
    const { sync, engine } = setupMirrors(FakeEngine.withFixtures(), { store });

    // Act
    await sync('connect');
    await settleNow();

    // Assert
    expect(engine.count('removeImage', LATEST)).toBe(1);
    expect(engine.images.get(tagged.Id)?.RepoTags).toEqual([V1]);
    expect(await store.names('Image')).toEqual([v1Name]);
  });

  it('should keep the mark on the mirror of a delete the engine still refuses after a sync', async () => {
    // Arrange
    const store = new TestStore();
    const latest = imageMirrors(imageFixture('tagged'), OPTIONS).find((image) => image.status.repoTag === LATEST)!;
    await store.create({ ...latest, metadata: { ...latest.metadata, deletionTimestamp: '2026-11-26T14:00:00.000Z' } });
    const { sync, engine } = setupMirrors(FakeEngine.withFixtures(), { store });

    // Act
    await sync('connect');
    await settleNow();

    // Assert
    expect(engine.count('removeImage', LATEST)).toBe(1);
    const mirror = await store.get<Image>('Image', latestName);
    expect(mirror?.metadata.deletionTimestamp).toBe('2026-11-26T14:00:00.000Z');
    expect(findCondition(mirror?.status.conditions, 'DeleteFailed')?.status).toBe('True');
  });

  it('should not delete a stored volume mirror that carries no mark', async () => {
    // Arrange
    const store = new TestStore();
    await store.create(volumeMirror(volumeFixture('fxdata'), OPTIONS));
    const { sync, engine } = setupMirrors(FakeEngine.withFixtures(), { store });

    // Act
    await sync('connect');
    await settleNow();

    // Assert
    expect(engine.count('removeVolume')).toBe(0);
    expect((await store.get<Volume>('Volume', volumeMirrorName('fxdata')))?.status.name).toBe('fxdata');
  });
});
