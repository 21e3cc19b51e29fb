/**
 * The mirrors against rdd's own dockerd, written the way the Go original's engine tests are: change
 * the engine with the docker CLI or testcontainers, then `rdd ctl wait` / `-o jsonpath` on the mirrors.
 * Containers are reached only through ports published on 127.0.0.1.
 */
import type { Image } from '../protocol/mirrors/image.schema.js';
import { httpGet } from './drivers/support.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { disposeEngineEnv, removeTestcontainers, startBusyboxHttpd } from './support/engine.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('mir'));
let engine: EngineSession;

beforeAll(async () => {
  engine = await EngineSession.start(instance);
}, 240_000);

afterAll(async () => {
  if (engine) await removeTestcontainers(engine.socket).catch(() => undefined);
  disposeEngineEnv();
  await instance.dispose();
});

/** A new image ID with a single tag (a commit of a busybox container), so its last tag is its only one. */
async function imageOfItsOwn(tag: string): Promise<string> {
  const scratch = await engine.docker(['create', busyboxImage, 'true']);
  const id = await engine.docker(['commit', '--change', 'CMD ["sleep","3600"]', scratch, tag]);
  await engine.docker(['rm', scratch]);
  return id;
}

describe('mirrors of the engine (rdd ctl against rdd’s dockerd)', () => {
  it('should mirror the moby ContainerNamespace', async () => {
    const out = await engine.wait(['cns/moby', '--for=create'], '10s');

    expect(out).toContain('containernamespace.containers.rancherdesktop.io/moby condition met');
  });

  it('should mirror the imported image by its tag', async () => {
    await engine.wait(['images', '--for=create', `--field-selector=status.repoTag=${busyboxImage}`]);
    const names = await engine.jsonpath(
      ['images', `--field-selector=status.repoTag=${busyboxImage}`],
      '{.items[*].status.repoTag}',
    );

    expect(names).toBe(busyboxImage);
  });

  it('should add a mirror for a new tag and remove only that one on rmi of the tag', async () => {
    await engine.docker(['tag', busyboxImage, 'rdd-test/busybox:alias']);
    await engine.wait(['images', '--for=create', '--field-selector=status.repoTag=rdd-test/busybox:alias']);

    await engine.docker(['rmi', 'rdd-test/busybox:alias']);
    await engine.wait(['images', '--for=delete', '--field-selector=status.repoTag=rdd-test/busybox:alias']);
    const tags = (await engine.list<Image>('images')).map((image) => image.status.repoTag);

    expect(tags).toContain(busyboxImage);
    expect(tags).not.toContain('rdd-test/busybox:alias');
  });

  it('should turn an image untagged while in use into one dangling mirror, and back when re-tagged', async () => {
    const id = await engine.docker(['image', 'inspect', '--format', '{{.Id}}', busyboxImage]);
    const pinnedId = await imageOfItsOwn('rdd-test/pinned:1');
    const user = await engine.sleeper({ image: 'rdd-test/pinned:1', command: [] });
    await engine.docker(['rmi', '-f', 'rdd-test/pinned:1']);
    const dangling = await eventually('a dangling mirror', async () => {
      const mirrors = (await engine.list<Image>('images')).filter((image) => image.status.id === pinnedId);
      if (mirrors.length !== 1 || mirrors[0]!.status.repoTag !== '')
        throw new Error(JSON.stringify(mirrors.map((m) => m.status.repoTag)));
      return mirrors;
    });

    await engine.docker(['tag', pinnedId, 'rdd-test/pinned:2']);
    const retagged = await eventually('one tagged mirror', async () => {
      const mirrors = (await engine.list<Image>('images')).filter((image) => image.status.id === pinnedId);
      if (mirrors.length !== 1 || mirrors[0]!.status.repoTag !== 'rdd-test/pinned:2') throw new Error('not yet');
      return mirrors;
    });
    await engine.docker(['rm', '-f', user]);

    expect(id).not.toBe(pinnedId);
    expect(dangling[0]!.status.repoTag).toBe('');
    expect(retagged[0]!.status.repoTag).toBe('rdd-test/pinned:2');
  });

  it('should mirror a container started by testcontainers, running, by name, without lastAction', async () => {
    const web = await startBusyboxHttpd(engine.socket, { name: 'mirrored-web', page: 'hello-rdd' });
    const mirror = await engine.container('mirrored-web');
    const page = await httpGet(web.url);

    expect(page.body.trim()).toBe('hello-rdd');
    expect(mirror.metadata.name).toBe(web.id);
    expect(mirror.status).toMatchObject({ name: 'mirrored-web', status: 'running', imageName: busyboxImage });
    expect(mirror.status.lastAction).toBeUndefined();
    expect(mirror.status.ports).toEqual([
      { name: '8080/tcp', bindings: [{ hostIP: '127.0.0.1', hostPort: String(web.port) }] },
    ]);
  });

  it('should show a docker stop as exited, and remove the mirror on rm -f', async () => {
    await engine.docker(['stop', '-t', '1', 'mirrored-web']);
    await engine.wait(['container/mirrored-web', `--for=jsonpath={.status.status}=exited`]);

    const id = (await engine.container('mirrored-web')).metadata.name;
    await engine.docker(['rm', '-f', 'mirrored-web']);
    await engine.wait([`container/${id}`, '--for=delete']);
    const result = await instance.rdd(['ctl', 'get', 'container', id]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not found');
  });

  it('should show an exposed port without bindings and a published one with its host port', async () => {
    await engine.docker([
      'run',
      '-d',
      '--init',
      '--name',
      'ports',
      '--expose',
      '80',
      '-p',
      '127.0.0.1::81',
      busyboxImage,
      'sleep',
      '3600',
    ]);
    const mirror = await engine.container('ports');
    const published = await engine.docker(['port', 'ports', '81/tcp']);

    expect(mirror.status.ports.map((port) => port.name)).toEqual(['80/tcp', '81/tcp']);
    expect(mirror.status.ports[0]!.bindings).toEqual([]);
    expect(`${mirror.status.ports[1]!.bindings[0]!.hostIP}:${mirror.status.ports[1]!.bindings[0]!.hostPort}`).toBe(
      published,
    );
  });

  it('should follow a rename in place: same mirror, new status.name (I4)', async () => {
    const before = await engine.container('ports');
    await engine.docker(['rename', 'ports', 'renamed']);
    await engine.wait([`container/${before.metadata.name}`, '--for=jsonpath={.status.name}=renamed']);
    const after = await engine.container('renamed');

    expect(after.metadata.name).toBe(before.metadata.name);
    expect(after.metadata.creationTimestamp).toBe(before.metadata.creationTimestamp);
  });

  it.each(['test-vol', 'My_Vol_Ume'])('should mirror volume %s and remove the mirror on rm', async (name) => {
    await engine.docker(['volume', 'create', name]);
    await engine.wait(['volumes', '--for=create', `--field-selector=status.name=${name}`]);
    await engine.docker(['volume', 'rm', name]);
    await engine.wait(['volumes', '--for=delete', `--field-selector=status.name=${name}`]);
  });

  it('should remove the container when its mirror is deleted', async () => {
    const id = (await engine.container('renamed')).metadata.name;

    const result = await instance.ok(['ctl', 'delete', 'container/renamed']);
    const left = await engine.docker(['ps', '-aq', '--no-trunc', '--filter', `id=${id}`]);

    expect(result.stdout).toContain(`container.containers.rancherdesktop.io/${id} deleted`);
    expect(left).toBe('');
  });

  it('should keep an in-use image marked with DeleteFailed until its container goes', async () => {
    // The engine refuses to remove the only tag of an image a container uses.
    await imageOfItsOwn('rdd-test/in-use:1');
    const user = await engine.sleeper({ image: 'rdd-test/in-use:1' });
    await engine.wait(['images', '--for=create', '--field-selector=status.repoTag=rdd-test/in-use:1']);
    const refused = await instance.rdd(['ctl', 'delete', 'image', 'rdd-test/in-use:1', '--wait=false']);
    const marked = await eventually('DeleteFailed', async () => {
      const [mirror] = await engine.list<Image>('images', ['--field-selector=status.repoTag=rdd-test/in-use:1']);
      if (!mirror?.status.conditions?.some((c) => c.type === 'DeleteFailed')) throw new Error('no DeleteFailed yet');
      return mirror;
    });

    await engine.docker(['rm', '-f', user]);
    await engine.wait(['images', '--for=delete', '--field-selector=status.repoTag=rdd-test/in-use:1']);
    await engine.docker(['image', 'inspect', 'rdd-test/in-use:1']).then(
      () => {
        throw new Error('the image is still there');
      },
      () => undefined,
    );

    expect(refused.stdout).toContain('marked for deletion');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(marked.status.conditions?.find((c) => c.type === 'DeleteFailed')?.message).toMatch(
      /conflict|in use|being used/i,
    );
  });

  it('should refuse to delete ContainerNamespace/moby with exit 3 and say why, at once (I1)', async () => {
    const started = Date.now();
    const result = await instance.rdd(['ctl', 'delete', 'cns/moby', '--timeout=10s']);

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/managed by rdd.*cannot be deleted/);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
