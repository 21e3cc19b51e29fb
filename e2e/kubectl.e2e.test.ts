/**
 * kubectl semantics a script written for the Go original runs against unchanged, in the style of its
 * engine-docker BATS suite: names printed by `-o name` fed back to get, wait, annotate and delete;
 * `-n` on every verb and before the verb; `--ignore-not-found`; several kinds at once.
 */
import type { ResourceList } from '../protocol/resource.schema.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { disposeEngineEnv, removeTestcontainers } from './support/engine.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';

const instance = new TestInstance(uniqueInstance('kctl'));
let engine: EngineSession;
const actionKey = 'containers.rancherdesktop.io/action';

beforeAll(async () => {
  engine = await EngineSession.start(instance);
  await engine.docker([
    'run',
    '-d',
    '--init',
    '--name',
    'kweb',
    '--label',
    'tier=front',
    busyboxImage,
    'sleep',
    '3600',
  ]);
  await engine.container('kweb');
}, 240_000);

afterAll(async () => {
  if (engine) {
    await engine.docker(['rm', '-f', 'kweb', 'kdb']).catch(() => undefined);
    await removeTestcontainers(engine.socket).catch(() => undefined);
  }
  disposeEngineEnv();
  await instance.dispose();
});

/** `rdd ctl …` that must exit 0: its stdout. */
async function ctl(args: string[]): Promise<string> {
  return (await instance.ok(['ctl', ...args])).stdout;
}

describe('names printed by -o name are accepted back', () => {
  it('should get, wait for and delete an image by the name -o name printed', async () => {
    await engine.imageOfItsOwn('rdd-test/kname:1');
    await engine.wait(['images', '--for=create', '--field-selector=status.repoTag=rdd-test/kname:1']);
    const name = (
      await ctl(['get', 'image', '--field-selector', 'status.repoTag=rdd-test/kname:1', '-o', 'name'])
    ).trim();
    expect(name).toMatch(/^image\.containers\.rancherdesktop\.io\/img-/);

    expect((await ctl(['get', name, '-o', 'name'])).trim()).toBe(name);
    expect(await engine.wait([name, '--for=create'])).toContain(`${name} condition met`);
    expect(await ctl(['delete', name])).toContain(`${name} deleted`);
    expect((await instance.rdd(['ctl', 'get', name])).code).toBe(1);
  });

  it('should get the moby ContainerNamespace by its qualified name, with / and as KIND.GROUP NAME', async () => {
    const slash = await ctl(['get', 'containernamespace.containers.rancherdesktop.io/moby', '-o', 'name']);
    const spaced = await ctl(['get', 'containernamespace.containers.rancherdesktop.io', 'moby', '-o', 'name']);

    expect(slash).toBe('containernamespace.containers.rancherdesktop.io/moby\n');
    expect(spaced).toBe(slash);
  });

  it('should annotate a container by the name -o name printed, with -n', async () => {
    const name = (await ctl(['get', 'containers', '-l', 'tier=front', '-o', 'name'])).trim();
    expect(name).toMatch(/^container\.containers\.rancherdesktop\.io\/[0-9a-f]{64}$/);

    await ctl(['annotate', name, '-n', 'rancher-desktop', `${actionKey}=stop`]);
    await engine.wait([name, '--for=jsonpath={.status.status}=exited']);
    await ctl(['annotate', 'container', 'kweb', '--namespace', 'rancher-desktop', `${actionKey}=start`]);
    await engine.wait([name, '--for=jsonpath={.status.status}=running']);
  });

  it('should refuse a kind of another group, naming the valid groups, with exit 3', async () => {
    const result = await instance.rdd(['ctl', 'get', 'container.example.io/kweb']);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('valid groups: app.rancherdesktop.io, containers.rancherdesktop.io');
  });
});

describe('kubectl defaults', () => {
  it('should print nothing at all for -o name when nothing matches', async () => {
    const result = await instance.rdd(['ctl', 'get', 'volumes', '-l', 'rdd-test=none', '-o', 'name']);

    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('should read --namespace="" as the default namespace', async () => {
    const empty = await ctl(['get', 'containers', '--namespace=', '-o', 'name']);

    expect(empty).toContain('container.containers.rancherdesktop.io/');
    expect(empty).toBe(await ctl(['get', 'containers', '-o', 'name']));
  });

  it('should run the command when its flags come between the topic and it', async () => {
    const list = JSON.parse(
      (await instance.ok(['ctl', '-n', 'rancher-desktop', '-o', 'json', 'get', 'containers'])).stdout,
    ) as ResourceList;
    const status = await instance.rdd(['svc', '-o', 'json', 'status']);

    expect(list.kind).toBe('List');
    expect(list.items.length).toBeGreaterThan(0);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toBeInstanceOf(Object);
  });

  it('should print the same version for rdd --version and rdd version', async () => {
    const flag = await instance.ok(['--version']);
    const command = await instance.ok(['version']);

    expect(flag.stdout).toMatch(/^rdd \S+ \(node v/);
    expect(flag.stdout).toBe(command.stdout);
  });

  it('should leave out names that match nothing with --ignore-not-found, on get and delete', async () => {
    const without = await instance.rdd(['ctl', 'delete', 'volume/rdd-test-none']);
    expect(without.code).toBe(1);

    expect(await instance.rdd(['ctl', 'delete', 'volume/rdd-test-none', '--ignore-not-found'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(await instance.rdd(['ctl', 'get', 'volume', 'rdd-test-none', '--ignore-not-found'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });
});

describe('several kinds, ordering and labels', () => {
  it('should list every mirror kind with get all, grouped, names as kind/NAME', async () => {
    const text = await ctl(['get', 'all']);

    expect(text).toMatch(/^NAME\s+/);
    expect(text).toMatch(/\ncontainer\/kweb\s/);
    expect(text).toMatch(/\n\nREPO TAG\s+.*\nimage\/\S+:\S+\s/);
    expect(text).toMatch(/\ncontainernamespace\/moby\s/);
  });

  it('should give comma-separated kinds as one List, and as names', async () => {
    const list = JSON.parse(await ctl(['get', 'containers,cns', '-o', 'json'])) as ResourceList;
    const names = await ctl(['get', 'containers,cns', '-o', 'name']);

    expect(list.kind).toBe('List');
    expect(new Set(list.items.map((item) => item.kind))).toEqual(new Set(['Container', 'ContainerNamespace']));
    expect(names).toMatch(/^container\.containers\.rancherdesktop\.io\/[0-9a-f]{64}\n/);
    expect(names).toMatch(/\ncontainernamespace\.containers\.rancherdesktop\.io\/moby\n$/);
  });

  it('should sort by a JSONPath and show the engine labels', async () => {
    await engine.docker([
      'run',
      '-d',
      '--init',
      '--name',
      'kdb',
      '--label',
      'tier=back',
      busyboxImage,
      'sleep',
      '3600',
    ]);
    await engine.container('kdb');
    const sorted = await ctl([
      'get',
      'containers',
      '-l',
      'tier',
      '--sort-by={.status.name}',
      '-o',
      'jsonpath={.items[*].status.name}',
    ]);
    const reversed = await ctl(['get', 'containers', '-l', 'tier', '--sort-by=.metadata.labels.tier', '--show-labels']);

    expect(sorted).toBe('kdb kweb');
    expect(reversed).toMatch(/LABELS\n.*kdb.*tier=back\n.*kweb.*tier=front\n$/);
  });
});

describe('api-resources and explain, without a daemon call', () => {
  it('should list the kinds, and explain a field from the schemas', async () => {
    const kinds = await ctl(['api-resources']);
    const names = (await ctl(['api-resources', '-o', 'name'])).trim().split('\n');
    const field = await ctl(['explain', 'container.spec.state']);

    expect(kinds).toMatch(/\ncontainers\s+c\s+containers\.rancherdesktop\.io\/v1alpha1\s+true\s+Container\n/);
    for (const name of names) expect((await instance.rdd(['ctl', 'get', name, '-o', 'name'])).code).toBe(0);
    expect(field).toContain('FIELD: state <string>');
    expect(field).toMatch(/ENUM:\n {4}unknown\n/);
  });
});
