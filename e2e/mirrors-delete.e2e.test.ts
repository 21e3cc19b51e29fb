/**
 * Deleting through mirrors against rdd's own dockerd when the engine refuses: `rdd ctl delete` answers
 * at once with the engine's reason and the containers that hold the object, the mirror shows the
 * pending deletion (Terminating, the finalizer, DeleteFailed InUse), and the deletion completes by
 * itself once the holder is removed with the docker CLI. The test image itself is never deleted: every
 * image deleted here is a scratch copy with an ID of its own.
 */
import { findCondition } from '../protocol/condition.schema.js';
import type { Image } from '../protocol/mirrors/image.schema.js';
import type { Network } from '../protocol/mirrors/network.schema.js';
import type { Volume } from '../protocol/mirrors/volume.schema.js';
import type { Resource } from '../protocol/resource.schema.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('del'));
let engine: EngineSession;

beforeAll(async () => {
  engine = await EngineSession.start(instance);
}, 240_000);

afterAll(() => instance.dispose());

const finalizer = 'engine.rancherdesktop.io/mirror';

/** A container that holds what it is given (an image, a volume mount, a network) and stops fast. */
async function holder(name: string, flags: string[], image = busyboxImage): Promise<string> {
  return engine.sleeper({ name, flags, image });
}

/** `rdd ctl get KIND NAME -o json`. */
function mirror<R extends Resource>(kind: string, name: string): Promise<R> {
  return instance.json<R>(['ctl', 'get', kind, name]);
}

async function engineHas(args: string[]): Promise<boolean> {
  return engine.docker(args).then(
    () => true,
    () => false,
  );
}

describe('a delete the engine refuses, answered at once and completed by itself', () => {
  const tag = 'rdd-test/delete-scratch:1';
  let user: string;
  let refused: Awaited<ReturnType<TestInstance['rdd']>>;
  let elapsedMs: number;

  beforeAll(async () => {
    await engine.imageOfItsOwn(tag);
    user = await holder('scratch-user', [], tag);
    await engine.wait(['images', '--for=create', `--field-selector=status.repoTag=${tag}`]);
    await engine.container(user);
    const started = Date.now();
    refused = await instance.rdd(['ctl', 'delete', 'image', tag, '--timeout=60s'], { timeoutMs: 90_000 });
    elapsedMs = Date.now() - started;
  });

  it('should exit 1 without waiting the timeout out, naming the engine reason and the container that uses the image', () => {
    expect(refused.code).toBe(1);
    // Not a speed target: only that the 60 s wait was not spent.
    expect(elapsedMs).toBeLessThan(30_000);
    expect(refused.stdout).toContain('marked for deletion');
    expect(refused.stderr).toContain(`cannot delete image ${tag}:`);
    expect(refused.stderr).toMatch(/must force/);
    expect(refused.stderr).toContain(`in use by container scratch-user (${user.slice(0, 12)})`);
    expect(refused.stderr).toContain('the deletion completes by itself once nothing uses it');
    expect(refused.stderr).toContain('--force');
  });

  it('should show the pending deletion on the mirror: deletionTimestamp, the finalizer and DeleteFailed InUse', async () => {
    const image = await mirror<Image>('image', tag);
    const described = (await instance.ok(['ctl', 'describe', 'image', tag])).stdout;

    expect(image.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(image.metadata.finalizers).toEqual([finalizer]);
    expect(findCondition(image.status.conditions, 'DeleteFailed')).toMatchObject({
      status: 'True',
      reason: 'InUse',
      message: expect.stringContaining('scratch-user'),
    });
    expect(described).toMatch(/^Terminating: +since /m);
    expect(described).toMatch(new RegExp(`^Finalizers: +${finalizer}$`, 'm'));
    expect(described).toMatch(/DeleteFailed +True +InUse/);
  });

  it('should remove the image and its mirror by itself once the container is removed', async () => {
    const stillThere = await engineHas(['image', 'inspect', tag]);

    await engine.docker(['rm', '-f', user]);
    await engine.wait(['images', '--for=delete', `--field-selector=status.repoTag=${tag}`]);

    expect(stillThere).toBe(true);
    expect(await engineHas(['image', 'inspect', tag])).toBe(false);
    expect(await engineHas(['image', 'inspect', busyboxImage])).toBe(true);
  });
});

describe('the same answer for a volume and a network in use, and the ways around it', () => {
  it('should refuse a mounted volume at once with its container, and delete it once the container goes', async () => {
    await engine.docker(['volume', 'create', 'delete-data']);
    const user = await holder('data-user', ['-v', 'delete-data:/data']);
    await engine.container(user);
    await engine.wait(['volumes', '--for=create', '--field-selector=status.name=delete-data']);

    const result = await instance.rdd(['ctl', 'delete', 'volume', 'delete-data', '--timeout=60s']);
    const marked = await mirror<Volume>('volume', 'delete-data');
    await engine.docker(['rm', '-f', user]);
    await engine.wait(['volumes', '--for=delete', '--field-selector=status.name=delete-data']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/volume is in use/);
    expect(result.stderr).toContain(`in use by container data-user (${user.slice(0, 12)})`);
    expect(result.stderr).not.toContain('--force');
    expect(findCondition(marked.status.conditions, 'DeleteFailed')?.reason).toBe('InUse');
    expect(await engineHas(['volume', 'inspect', 'delete-data'])).toBe(false);
  });

  it('should refuse a network with a connected container, and exit 0 with the same words under --wait=false', async () => {
    await engine.docker(['network', 'create', 'delete-net']);
    const user = await holder('net-user', ['--network', 'delete-net']);
    await engine.container(user);
    await eventually('the network mirror shows its container', async () => {
      const network = await mirror<Network>('network', 'delete-net');
      if (!network.status.containers.includes(user)) throw new Error(network.status.containers.join(', '));
      return true;
    });

    const waited = await instance.rdd(['ctl', 'delete', 'network', 'delete-net']);
    const unwaited = await instance.rdd(['ctl', 'delete', 'network', 'delete-net', '--wait=false']);
    await engine.docker(['rm', '-f', user]);
    await engine.wait(['networks', '--for=delete', '--field-selector=status.name=delete-net']);

    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(/has active endpoints/);
    expect(waited.stderr).toContain(`in use by container net-user (${user.slice(0, 12)})`);
    expect(unwaited.code).toBe(0);
    expect(unwaited.stdout).toContain('marked for deletion');
    expect(unwaited.stderr).toMatch(/has active endpoints/);
    expect(unwaited.stderr).toContain('completes by itself');
  });

  it('should remove an image in use now with --force', async () => {
    const tag = 'rdd-test/delete-forced:1';
    await engine.imageOfItsOwn(tag);
    const user = await holder('forced-user', [], tag);
    await engine.wait(['images', '--for=create', `--field-selector=status.repoTag=${tag}`]);

    const result = await instance.rdd(['ctl', 'delete', 'image', tag, '--force']);
    await engine.docker(['rm', '-f', user]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ deleted$/m);
    expect(await engineHas(['image', 'inspect', tag])).toBe(false);
  });

  it('should carry the finalizer on a mirror nobody asked to delete', async () => {
    expect((await mirror<Image>('image', busyboxImage)).metadata.finalizers).toEqual([finalizer]);
  });
});
