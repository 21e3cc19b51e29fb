/**
 * A delete the engine refuses: answered at once with the engine's reason, the containers that hold the
 * object and what will happen; the mirror shows the pending deletion (deletionTimestamp, finalizer and a
 * DeleteFailed condition) until the holder goes and the retry removes both.
 */
import type { ContainerInspectInfo } from 'dockerode';
import { findCondition } from '../../protocol/condition.schema.js';
import type { DeleteReply } from '../../protocol/mirrors/commands.schema.js';
import { imageMirrorName, type Image } from '../../protocol/mirrors/image.schema.js';
import { networkMirrorName, type Network } from '../../protocol/mirrors/network.schema.js';
import { volumeMirrorName, type Volume } from '../../protocol/mirrors/volume.schema.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { mirrorFinalizer } from './deletion.js';
import { engineError, FakeEngine } from './fake-engine.fixtures.js';
import type { TestStore } from './nats-store.fixtures.js';
import { containerFixture, imageFixture, networkFixture } from './mirrors.fixtures.js';
import { settle, setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';

const tagged = imageFixture('tagged');
const [LATEST] = tagged.RepoTags as [string, string];
const latestName = imageMirrorName(tagged.Id, LATEST);
const web = containerFixture('web');
const exited = containerFixture('exited');
const short = (id: string) => id.slice(0, 12);
type Mount = NonNullable<ContainerInspectInfo['Mounts']>[number];

beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));

afterEach(() => {
  stopMirrors();
  jest.useRealTimers();
});

/** Drains the mailboxes and fires the timers due now: a retry "at once" is a timer of 0 ms. */
async function settleNow(): Promise<void> {
  await settle();
  await jest.advanceTimersByTimeAsync(1);
  await settle();
}

async function mirrorOf<R extends Resource>(store: TestStore, kind: string, name: string): Promise<R> {
  const mirror = await store.get<R>(kind, name);
  if (!mirror) throw new Error(`no ${kind} mirror ${name}`);
  return mirror;
}

/** The fixture engine plus a container `dbuser` that mounts volume fxdata. */
function volumeInUseEngine(): { engine: FakeEngine; user: string } {
  const engine = FakeEngine.withFixtures();
  const user = engine.cloneContainer(exited, 'd'.repeat(64), 'dbuser');
  user.Mounts = [{ Type: 'volume', Name: 'fxdata', Source: '', Destination: '/data' } as unknown as Mount];
  return { engine, user: user.Id };
}

describe('EngineObjectActor: a delete the engine refuses', () => {
  it('should answer an image in use at once with InUse, the containers that use it, and that --force removes it', async () => {
    // Arrange: web and exited both run the tagged image
    const { sync, supervisor } = setupMirrors();
    await sync();

    // Act
    const reply = (await supervisor.request('Image', latestName, 'delete', {})) as DeleteReply;

    // Assert
    expect(reply.deleted).toBe(false);
    expect(reply.refused).toEqual({
      object: `image ${LATEST}`,
      reason: 'InUse',
      engineMessage: expect.stringContaining(`unable to remove repository reference "${LATEST}" (must force)`),
      heldBy: [
        { name: 'exited', id: short(exited.Id) },
        { name: 'web', id: short(web.Id) },
      ],
      forceRemoves: true,
    });
  });

  it('should show the pending deletion on the mirror: deletionTimestamp, the finalizer and DeleteFailed InUse', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();

    // Act
    await supervisor.request('Image', latestName, 'delete', {});
    await settle();

    // Assert
    const mirror = await mirrorOf<Image>(store, 'Image', latestName);
    expect(mirror.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(mirror.metadata.finalizers).toEqual([mirrorFinalizer]);
    const condition = findCondition(mirror.status.conditions, 'DeleteFailed');
    expect(condition).toMatchObject({ status: 'True', reason: 'InUse' });
    expect(condition?.message).toContain(`in use by container exited (${short(exited.Id)}), web (${short(web.Id)})`);
    expect(condition?.message).toContain('completes by itself');
    expect(condition?.message).toContain('--force');
  });

  it('should name the users of a volume from the engine refusal, and never offer --force for it', async () => {
    // Arrange
    const { engine, user } = volumeInUseEngine();
    const { sync, supervisor, store } = setupMirrors(engine);
    await sync();

    // Act
    const reply = (await supervisor.request('Volume', volumeMirrorName('fxdata'), 'delete', {
      force: true,
    })) as DeleteReply;
    await settle();

    // Assert
    expect(reply.refused).toEqual({
      object: 'volume fxdata',
      reason: 'InUse',
      engineMessage: `remove fxdata: volume is in use - [${user}]`,
      heldBy: [{ name: 'dbuser', id: short(user) }],
      forceRemoves: false,
    });
    const mirror = await mirrorOf<Volume>(store, 'Volume', volumeMirrorName('fxdata'));
    expect(findCondition(mirror.status.conditions, 'DeleteFailed')?.message).not.toContain('--force');
  });

  it('should remove a refused volume and its mirror by itself once the container that mounts it is removed', async () => {
    // Arrange
    const { engine, user } = volumeInUseEngine();
    const { sync, supervisor, store } = setupMirrors(engine);
    await sync();
    await supervisor.request('Volume', volumeMirrorName('fxdata'), 'delete', {});
    await settle();
    const refusedWhileUsed = engine.volumes.has('fxdata');

    // Act
    engine.containers.delete(user);
    supervisor.route({ Type: 'container', Action: 'destroy', Actor: { ID: user } });
    await settleNow();

    // Assert
    expect(refusedWhileUsed).toBe(true);
    expect(engine.volumes.has('fxdata')).toBe(false);
    expect(await store.names('Volume')).toEqual([]);
  });

  it('should answer a network with endpoints (the engine says 403) as InUse, held by its connected containers', async () => {
    // Arrange: fx has web, paused and one container rdd has no mirror of connected
    const { sync, supervisor } = setupMirrors();
    await sync();
    const fx = networkFixture('fx');

    // Act
    const reply = (await supervisor.request('Network', networkMirrorName(fx.Id), 'delete', {})) as DeleteReply;

    // Assert
    expect(reply.refused).toMatchObject({
      reason: 'InUse',
      engineMessage: expect.stringContaining('has active endpoints'),
      heldBy: [{ name: 'web', id: short(web.Id) }],
      forceRemoves: false,
    });
  });

  it('should answer a failed engine call as EngineError, naming no holders', async () => {
    // Arrange
    const { sync, supervisor, engine, store } = setupMirrors();
    await sync();
    engine.fail('removeVolume', 'fxdata', engineError(500, 'driver local: device busy'));

    // Act
    const reply = (await supervisor.request('Volume', volumeMirrorName('fxdata'), 'delete', {})) as DeleteReply;
    await settle();

    // Assert
    expect(reply.refused).toEqual({
      object: 'volume fxdata',
      reason: 'EngineError',
      engineMessage: 'driver local: device busy',
      heldBy: [],
      forceRemoves: false,
    });
    const mirror = await mirrorOf<Volume>(store, 'Volume', volumeMirrorName('fxdata'));
    expect(findCondition(mirror.status.conditions, 'DeleteFailed')?.reason).toBe('EngineError');
  });

  it('should answer a second delete of a pending one at once with the refusal again', async () => {
    // Arrange
    const { sync, supervisor, store } = setupMirrors();
    await sync();
    await supervisor.request('Image', latestName, 'delete', {});
    await settle();
    const markedAt = (await mirrorOf<Image>(store, 'Image', latestName)).metadata.deletionTimestamp;

    // Act
    const again = (await supervisor.request('Image', latestName, 'delete', {})) as DeleteReply;

    // Assert
    expect(again).toMatchObject({ deleted: false, refused: { reason: 'InUse' } });
    expect((await mirrorOf<Image>(store, 'Image', latestName)).metadata.deletionTimestamp).toBe(markedAt);
  });
});

describe('the mirror finalizer', () => {
  it('should be on every mirror rdd may delete, before any delete is asked for', async () => {
    // Arrange
    const { sync, store } = setupMirrors();

    // Act
    await sync();

    // Assert
    const mirrors = await Promise.all(['Container', 'Image', 'Volume', 'Network'].map((kind) => store.list(kind)));
    const finalizers = mirrors.flat().map((mirror) => [mirror.kind, mirror.metadata.finalizers]);
    expect(finalizers.length).toBeGreaterThanOrEqual(6);
    expect(finalizers).toEqual(finalizers.map(([kind]) => [kind, [mirrorFinalizer]]));
  });

  it('should not be on a predefined network, which rdd never deletes', async () => {
    // Arrange
    const engine = new FakeEngine();
    engine.addNetwork(networkFixture('host'));
    const { sync, store } = setupMirrors(engine);

    // Act
    await sync();

    // Assert
    const host = await mirrorOf<Network>(store, 'Network', networkMirrorName(networkFixture('host').Id));
    expect(host.metadata.finalizers).toBeUndefined();
  });

  it('should be added to a mirror stored by an older rdd without it', async () => {
    // Arrange: the volume's mirror as written before finalizers
    const first = setupMirrors(FakeEngine.withFixtures());
    await first.sync();
    const old = await mirrorOf<Volume>(first.store, 'Volume', volumeMirrorName('fxdata'));
    const { finalizers: _dropped, ...metadata } = old.metadata;
    await first.store.update({ ...old, metadata });
    stopMirrors();
    const { sync, store } = setupMirrors(FakeEngine.withFixtures(), { store: first.store });

    // Act
    await sync('connect');
    await settle();

    // Assert
    const mirror = await mirrorOf<Volume>(store, 'Volume', volumeMirrorName('fxdata'));
    expect(mirror.metadata.finalizers).toEqual([mirrorFinalizer]);
  });
});
