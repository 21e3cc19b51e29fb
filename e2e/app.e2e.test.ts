/**
 * The App against a real dockerd that rdd starts (the dockerd driver): start, honest waits, a
 * steady-state change that settles at once (C1), failures reported at once with their cause (I3),
 * stop, an engine that dies and comes back, and a daemon killed outright.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { App } from '../protocol/app.schema.js';
import type { Condition } from '../protocol/condition.schema.js';
import { isAlive } from '../host/processes.js';
import { eventually, readPid, repoRoot, TestInstance, uniqueInstance } from './support/cli.js';

const conditionOf = (app: App, type: string): Condition | undefined =>
  app.status.conditions.find((condition) => condition.type === type);
const brief = (app: App, type: string): string => {
  const condition = conditionOf(app, type);
  return condition ? `${condition.status}/${condition.reason}` : 'missing';
};

describe('rdd start/set/stop with the dockerd driver', () => {
  const instance = new TestInstance(uniqueInstance('app'));

  afterAll(() => instance.dispose());

  it('should say there is nothing to stop and create nothing when there is no App', async () => {
    const result = await instance.rdd(['stop']);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('App does not exist; nothing to stop');
  });

  it('should validate a dry run on the daemon and store nothing', async () => {
    const dryRun = await instance.rdd(['set', '--dry-run', 'running=true', '-o', 'json']);
    const get = await instance.rdd(['get']);

    expect(dryRun.code).toBe(0);
    expect(JSON.parse(dryRun.stdout)).toMatchObject({
      kind: 'App',
      spec: { running: true, vm: { driver: 'dockerd' } },
    });
    expect(get.code).toBe(1);
    expect(get.stderr).toMatch(/App "app" not found/);
  });

  it.each([
    [
      'an argument that is not PROP=VALUE',
      ['set', 'running'],
      2,
      /invalid argument "running": expected PROPERTY=VALUE format/,
    ],
    ['no argument', ['set'], 2, /nothing to set/],
    [
      'an unknown property',
      ['set', 'runing=true'],
      3,
      /unknown property "runing"; valid properties: running, containerEngine\.name/,
    ],
    ['a bad boolean', ['set', 'running=yes'], 3, /invalid value "yes" for "running": expected boolean/],
    ['a bad enum value', ['set', 'containerEngine.name=podman'], 3, /valid values: moby, containerd/],
    [
      'Kubernetes without lima',
      ['set', 'kubernetes.enabled=true'],
      3,
      /kubernetes\.enabled=true needs vm\.driver=lima/,
    ],
  ])('should reject %s with the right exit code and message', async (_what, args, code, message) => {
    const result = await instance.rdd(args);

    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it('should start the engine and settle with Running=True/Started and ContainerEngineReady=True/Connected', async () => {
    const started = await instance.rdd(['start', '--timeout', '3m'], { timeoutMs: 200_000 });
    const app = await instance.json<App>(['get']);
    const status = await instance.json<{ enginePid: number | null }>(['svc', 'status']);

    expect(started.code).toBe(0);
    expect(started.stderr).toContain('Running=True/Started');
    expect([brief(app, 'Running'), brief(app, 'ContainerEngineReady'), brief(app, 'Settled')]).toEqual([
      'True/Started',
      'True/Connected',
      'True/Settled',
    ]);
    expect(app.spec.vm.driver).toBe('dockerd');
    expect(status.enginePid).toBe(readPid(`${instance.paths.run_dir}/dockerd.pid`));
    expect(isAlive(status.enginePid as number)).toBe(true);
  });

  it('should settle a steady-state change at its new generation without waiting for the timeout (C1)', async () => {
    const before = await instance.json<App>(['get']);

    const result = await instance.rdd([
      'set',
      'running=true',
      'containerEngine.mirrorImages=false',
      '--timeout',
      '20s',
    ]);
    const after = await instance.json<App>(['get']);

    expect(result.code).toBe(0);
    expect(after.metadata.generation).toBe((before.metadata.generation ?? 0) + 1);
    expect(conditionOf(after, 'Settled')).toMatchObject({
      status: 'True',
      observedGeneration: after.metadata.generation,
    });
    expect(conditionOf(after, 'ContainerEngineReady')?.observedGeneration).toBe(after.metadata.generation);
  });

  it('should forbid changing the driver while running, naming what to do', async () => {
    const result = await instance.rdd(['set', 'vm.driver=external']);

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /cannot change vm\.driver from dockerd to external while the App is running; stop first/,
    );
  });

  it('should apply two concurrent sets of different properties', async () => {
    const [first, second] = await Promise.all([
      instance.rdd(['set', 'containerEngine.mirrorImages=true', '--no-wait']),
      instance.rdd(['set', 'vm.socket=/tmp/rdd-e2e-unused.sock', '--no-wait']),
    ]);
    const app = await instance.json<App>(['get']);

    expect([first.code, second.code]).toEqual([0, 0]);
    expect(app.spec.containerEngine.mirrorImages).toBe(true);
    expect(app.spec.vm.socket).toBe('/tmp/rdd-e2e-unused.sock');
  });

  it('should report Disconnected when dockerd is killed, then restart it and reconnect', async () => {
    const { enginePid } = await instance.json<{ enginePid: number }>(['svc', 'status']);
    // Watched, not polled: the down state may last less than one `rdd get` on a loaded machine.
    const watcher = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin', 'rdd'), 'ctl', 'get', 'app', 'app', '-w', '-o', 'json'],
      {
        env: instance.env,
      },
    );
    let seen = '';
    watcher.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    const downStates = () =>
      seen
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { object: App })
        .flatMap(({ object }) => [brief(object, 'ContainerEngineReady'), brief(object, 'Running')]);
    await eventually('the watcher to show the App', () => Promise.resolve(downStates().length > 0));

    process.kill(enginePid, 'SIGKILL');
    const sawDisconnect = await eventually('the engine to be reported down', () =>
      Promise.resolve(['False/Disconnected', 'False/Starting'].some((state) => downStates().includes(state))),
    ).finally(() => watcher.kill('SIGTERM'));
    const recovered = await eventually(
      'the engine to be back',
      async () => {
        const app = await instance.json<App>(['get']);
        return brief(app, 'ContainerEngineReady') === 'True/Connected' && brief(app, 'Settled') === 'True/Settled'
          ? app
          : null;
      },
      120_000,
    );
    const { enginePid: newPid } = await instance.json<{ enginePid: number }>(['svc', 'status']);

    expect(sawDisconnect).toBe(true);
    expect(recovered.status.vm?.restarts).toBeGreaterThanOrEqual(1);
    expect(newPid).not.toBe(enginePid);
    expect(isAlive(newPid)).toBe(true);
  });

  it('should keep the desired state and adopt the engine after the daemon is killed outright', async () => {
    const daemonPid = readPid(instance.paths.pid_file) as number;
    const { enginePid } = await instance.json<{ enginePid: number }>(['svc', 'status']);

    process.kill(daemonPid, 'SIGKILL');
    await eventually('the daemon to be gone', () => Promise.resolve(!isAlive(daemonPid)));
    const restarted = await instance.rdd(['svc', 'start']);
    const app = await eventually('the App to settle again', async () => {
      const current = await instance.json<App>(['get']);
      return brief(current, 'Settled') === 'True/Settled' && brief(current, 'ContainerEngineReady') === 'True/Connected'
        ? current
        : null;
    });
    const status = await instance.json<{ enginePid: number }>(['svc', 'status']);

    expect(restarted.code).toBe(0);
    expect(app.spec.running).toBe(true);
    expect(status.enginePid).toBe(enginePid);
  });

  it('should time out with exit 4 naming what it waited for', async () => {
    const result = await instance.rdd(['stop', '--timeout', '1ms']);

    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/timed out after 1ms waiting for Settled=True at generation \d+; last: /);
  });

  it('should stop the engine: Running=False/Stopped, ContainerEngineReady=False/Stopped, dockerd gone', async () => {
    const dockerdPid = readPid(`${instance.paths.run_dir}/dockerd.pid`) as number;

    const stopped = await instance.rdd(['stop', '--timeout', '2m'], { timeoutMs: 150_000 });
    const app = await instance.json<App>(['get']);

    expect(stopped.code).toBe(0);
    expect([brief(app, 'Running'), brief(app, 'ContainerEngineReady'), brief(app, 'Settled')]).toEqual([
      'False/Stopped',
      'False/Stopped',
      'True/Settled',
    ]);
    await eventually('dockerd to exit', () => Promise.resolve(!isAlive(dockerdPid)));
  });

  it('should start a stopped daemon to record rdd stop when the instance exists', async () => {
    await instance.ok(['svc', 'stop']);

    const stopped = await instance.rdd(['stop', '--timeout', '1m']);
    const status = await instance.json<{ running: boolean }>(['svc', 'status']);

    expect(stopped).toMatchObject({ code: 0, stderr: expect.stringContaining('is not running; starting it') });
    expect(stopped.stderr).toContain('App unchanged');
    expect(status.running).toBe(true);
  });
});

describe('rdd start with the external driver on a missing socket', () => {
  const instance = new TestInstance(uniqueInstance('ext'));

  afterAll(() => instance.dispose());

  it('should fail at once with exit 1 and the cause, not at the timeout (I3)', async () => {
    const socket = `${instance.home}/no-engine.sock`;

    const result = await instance.rdd(
      ['set', 'vm.driver=external', `vm.socket=${socket}`, 'running=true', '--timeout', '5m'],
      {
        timeoutMs: 90_000,
      },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Running=False\/StartFailed: .*no-engine\.sock/);
  });
});

describe('rdd start/set/stop with the lima driver (stand-in limactl)', () => {
  const instance = new TestInstance(uniqueInstance('lima'));
  const limactl = `${__dirname}/drivers/limactl-standin`;

  afterAll(async () => {
    await instance.rdd(['stop', '--timeout', '2m'], { timeoutMs: 150_000 });
    await instance.dispose();
  });

  // vm.driver=auto prefers dockerd on Linux whenever it can run (actors/app/auto-driver.test.ts), as it can here.
  it('should start with vm.driver=lima and settle', async () => {
    const started = await instance.rdd(['set', 'vm.driver=lima', 'running=true', '--timeout', '3m'], {
      env: { RDD_LIMACTL: limactl },
      timeoutMs: 200_000,
    });
    const app = await instance.json<App>(['get']);

    expect(started).toMatchObject({ code: 0 });
    expect(app.spec.vm.driver).toBe('lima');
    expect([brief(app, 'Running'), brief(app, 'ContainerEngineReady'), brief(app, 'Settled')]).toEqual([
      'True/Started',
      'True/Connected',
      'True/Settled',
    ]);
  });

  it('should restart the running VM to apply a template change, reporting ApplyingTemplate until it has', async () => {
    const result = await instance.rdd(['set', 'vm.cpus=3', '--timeout', '3m'], { timeoutMs: 200_000 });
    const app = await instance.json<App>(['get']);

    expect(result).toMatchObject({ code: 0, stderr: expect.stringContaining('Settled=False/ApplyingTemplate') });
    expect(brief(app, 'Settled')).toBe('True/Settled');
    expect(conditionOf(app, 'Running')?.observedGeneration).toBe(app.metadata.generation);
  });

  it('should stop the VM', async () => {
    const stopped = await instance.rdd(['stop', '--timeout', '2m'], { timeoutMs: 150_000 });
    const app = await instance.json<App>(['get']);

    expect(stopped.code).toBe(0);
    expect([brief(app, 'Running'), brief(app, 'Settled')]).toEqual(['False/Stopped', 'True/Settled']);
  });
});
