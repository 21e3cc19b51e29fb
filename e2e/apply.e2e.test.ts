/**
 * Writing through kubectl's verbs against rdd's own dockerd: `--wait=false` on set/start/stop, and (below)
 * `ctl apply` and `ctl patch` on a container's spec.state and on the App, with --dry-run=server.
 */
import type { App } from '../protocol/app.schema.js';
import type { Container } from '../protocol/mirrors/container.schema.js';
import { ensureBusyboxImage } from './drivers/busybox-image.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('apply'));
let engine: EngineSession;

afterAll(() => instance.dispose());

const storedApp = (): Promise<App> => instance.json<App>(['get']);

describe('--wait=false on set, start and stop: return once the change is accepted', () => {
  it('should create a stopped App with set --wait=false', async () => {
    const result = await instance.rdd(['set', '--wait=false', 'running=false', '--timeout', '60s']);

    expect(result.stderr).not.toMatch(/Unexpected|invalid argument/);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/App changed: applied at generation 1/);
    expect((await storedApp()).spec.running).toBe(false);
  });

  it('should accept start --wait=false without waiting for the engine, which then comes up', async () => {
    const result = await instance.rdd(['start', '--wait=false', '--timeout', '60s']);

    expect(result.stderr).not.toMatch(/Unexpected/);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/App changed: applied at generation 2/);
    expect(result.stderr).not.toMatch(/settled/);
    await instance.ok(['ctl', 'wait', 'app/app', '--for=condition=Settled', '--timeout=3m']);
    expect((await storedApp()).spec.running).toBe(true);
    engine = new EngineSession(instance, instance.paths.docker_socket);
    await ensureBusyboxImage(engine.socket);
  }, 240_000);
});

describe('ctl apply and ctl patch on a container: the engine follows spec.state', () => {
  let id: string;
  let qualified: string;
  const engineStatus = () => engine.docker(['inspect', '-f', '{{.State.Status}}', id]);
  const engineReaches = (status: string) =>
    eventually(`docker to show ${status}`, async () => (await engineStatus()) === status, 60_000);
  const mirror = () => instance.json<Container>(['ctl', 'get', `container/${id}`]);

  beforeAll(async () => {
    id = await engine.sleeper({ name: 'applied' });
    await engine.container(id);
    qualified = `container.containers.rancherdesktop.io/${id}`;
  }, 120_000);

  it('should round-trip get -o yaml | edit spec.state | apply -f -, and the engine stops then starts it', async () => {
    for (const [state, status] of [
      ['created', 'exited'],
      ['running', 'running'],
    ] as const) {
      const yaml = (await instance.ok(['ctl', 'get', `container/${id}`, '-o', 'yaml'])).stdout;
      const edited = yaml.replace(/^( {2}state:) \w+$/m, `$1 ${state}`);
      expect(edited).not.toBe(yaml);

      const applied = await instance.rdd(['ctl', 'apply', '-f', '-'], { input: edited });

      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      expect(applied.stdout).toBe(`${qualified} configured\n`);
      await engineReaches(status);
      expect((await mirror()).spec.state).toBe(state);
    }
    const current = (await instance.ok(['ctl', 'get', `container/${id}`, '-o', 'yaml'])).stdout;
    const again = await instance.rdd(['ctl', 'apply', '-f', '-'], { input: current });
    expect(again.stdout).toBe(`${qualified} unchanged\n`);
  });

  it('should refuse a changed status with exit 3, naming the field, and change nothing', async () => {
    const before = await mirror();
    const edited = { ...before, spec: { state: 'created' }, status: { ...before.status, status: 'exited' } };

    const refused = await instance.rdd(['ctl', 'apply', '-f', '-'], { input: JSON.stringify(edited) });

    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/status\.status cannot be changed \(it is written by rdd\); writable are/);
    expect((await mirror()).spec.state).toBe('running');
    expect(await engineStatus()).toBe('running');
  });

  it('should stop and start it with a merge patch, then a JSON patch', async () => {
    const merge = await instance.rdd(['ctl', 'patch', `container/${id}`, '-p', '{"spec":{"state":"created"}}']);
    expect(merge.stdout).toBe(`${qualified} patched\n`);
    await engineReaches('exited');

    const json = await instance.rdd([
      'ctl',
      'patch',
      'container',
      'applied',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/spec/state","value":"created"},{"op":"replace","path":"/spec/state","value":"running"}]',
    ]);
    expect(json.stderr).toBe('');
    expect(json.stdout).toBe(`${qualified} patched\n`);
    await engineReaches('running');
  });

  it('should answer --dry-run=server with the would-be mirror, storing and doing nothing', async () => {
    const before = await mirror();

    const dryRun = await instance.rdd([
      'ctl',
      'patch',
      `container/${id}`,
      '-p',
      '{"spec":{"state":"created"}}',
      '--dry-run=server',
      '-o',
      'json',
    ]);

    expect(dryRun.code).toBe(0);
    expect((JSON.parse(dryRun.stdout) as Container).spec.state).toBe('created');
    const after = await mirror();
    expect(after.spec.state).toBe('running');
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(await engineStatus()).toBe('running');
    const said = await instance.ok([
      'ctl',
      'patch',
      `container/${id}`,
      '-p',
      '{"spec":{"state":"paused"}}',
      '--dry-run=server',
    ]);
    expect(said.stdout).toBe(`${qualified} patched (server dry run)\n`);
    expect(await engineStatus()).toBe('running');
  });

  it('should apply several documents: an action annotation restarts the container, an unchanged App stays', async () => {
    const startedAt = (await mirror()).status.startedAt;
    const container = (await instance.ok(['ctl', 'get', `container/${id}`, '-o', 'yaml'])).stdout;
    const app = (await instance.ok(['ctl', 'get', 'app/app', '-o', 'yaml'])).stdout;
    const annotated = container.replace(
      /^metadata:$/m,
      'metadata:\n  annotations:\n    containers.rancherdesktop.io/action: restart',
    );
    expect(annotated).not.toBe(container);

    const applied = await instance.rdd(['ctl', 'apply', '-f', '-'], { input: `${annotated}---\n${app}` });

    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe(`${qualified} configured\napp.app.rancherdesktop.io/app unchanged\n`);
    await engine.wait([`container/${id}`, '--for=jsonpath={.status.lastAction.state}=Succeeded']);
    expect((await mirror()).status.lastAction).toMatchObject({ action: 'restart', state: 'Succeeded' });
    expect((await mirror()).status.startedAt).not.toBe(startedAt);
  });

  it('should refuse --type strategic, naming the types rdd has', async () => {
    const refused = await instance.rdd(['ctl', 'patch', `container/${id}`, '--type', 'strategic', '-p', '{}']);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--type strategic is not supported; valid types: merge, json/);
  });
});

describe('ctl patch and ctl apply on the App: the admission of rdd set', () => {
  const mirrorImagesPatch = (value: unknown) => JSON.stringify({ spec: { containerEngine: { mirrorImages: value } } });

  it('should refuse a bad value with the very message rdd set gives, exit 3, changing nothing', async () => {
    const before = await storedApp();
    const set = await instance.rdd(['set', 'containerEngine.mirrorImages=maybe']);

    const patch = await instance.rdd(['ctl', 'patch', 'app/app', '-p', mirrorImagesPatch('maybe')]);

    expect(set.code).toBe(3);
    expect(patch.code).toBe(3);
    expect(patch.stderr.split('\n')[0]).toBe(set.stderr.split('\n')[0]);
    expect((await storedApp()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('should answer --dry-run=server with the would-be App, storing nothing', async () => {
    const before = await storedApp();

    const dryRun = await instance.rdd([
      'ctl',
      'patch',
      'app',
      'app',
      '-p',
      mirrorImagesPatch(false),
      '--dry-run=server',
      '-o',
      'json',
    ]);

    expect(dryRun.code).toBe(0);
    expect((JSON.parse(dryRun.stdout) as App).spec.containerEngine.mirrorImages).toBe(false);
    const after = await storedApp();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec.containerEngine.mirrorImages).toBe(true);
  });

  it('should change the App with a merge patch, and back with apply of a JSON patch result', async () => {
    const merge = await instance.rdd(['ctl', 'patch', 'app/app', '-p', mirrorImagesPatch(false)]);
    expect(merge.stderr).toBe('');
    expect(merge.stdout).toBe('app.app.rancherdesktop.io/app patched\n');
    expect((await storedApp()).spec.containerEngine.mirrorImages).toBe(false);

    const json = await instance.rdd([
      'ctl',
      'patch',
      'app/app',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/containerEngine/mirrorImages","value":true}]',
      '-o',
      'name',
    ]);
    expect(json.stdout).toBe('app.app.rancherdesktop.io/app\n');
    expect((await storedApp()).spec.containerEngine.mirrorImages).toBe(true);
  });
});

describe('--wait=false on stop', () => {
  it('should accept stop --wait=false and return before the engine has stopped', async () => {
    const result = await instance.rdd(['stop', '--wait=false', '--timeout', '60s']);

    expect(result.stderr).not.toMatch(/Unexpected/);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/App changed: applied at generation \d+/);
    expect(result.stderr).not.toMatch(/settled/);
    expect((await storedApp()).spec.running).toBe(false);
    await instance.ok(['ctl', 'wait', 'app/app', '--for=condition=Settled', '--timeout=2m']);
  }, 180_000);
});
