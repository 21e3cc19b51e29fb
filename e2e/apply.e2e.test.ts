/**
 * Writing through kubectl's verbs against rdd's own dockerd: `--wait=false` on set/start/stop, and (below)
 * `ctl apply` and `ctl patch` on a container's spec.state and on the App, with --dry-run=server.
 */
import type { App } from '../protocol/app.schema.js';
import { ensureBusyboxImage } from './drivers/busybox-image.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { EngineSession } from './support/mirrors.js';

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
