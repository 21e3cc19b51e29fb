/**
 * `rdd set` across a restart of the instance's nats-server (kill -9; the daemon brings it back on the
 * same port and store and restarts what depends on it): killed before the request, while the request
 * is in flight, and while the set waits for Settled, it ends with a definite answer and the change is
 * stored exactly once; a timeout shorter than the outage exits 4 saying what it waited for. Each case
 * has its own instance, so the kills never add up to the daemon's restart limit. The engine stays out
 * of it (running=false, or an external engine that is not there).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ApiClient, connectBus, readCredentials } from '../client/api-client.js';
import type { App } from '../protocol/app.schema.js';
import { isAlive } from '../host/processes.js';
import { eventually, readPid, repoRoot, TestInstance, uniqueInstance, type CliResult } from './support/cli.js';

const ledgerAnnotation = 'app.rancherdesktop.io/set-requests';

/** A running `rdd` whose stderr can be watched before it exits. */
interface RunningRdd {
  stderr: () => string;
  exited: Promise<CliResult>;
}

function startRdd(instance: TestInstance, args: string[]): RunningRdd {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'rdd'), ...args], { env: instance.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<CliResult>((resolve) =>
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { stderr: () => stderr, exited };
}

function pidOf(file: string): number {
  const pid = readPid(file);
  if (pid === null) throw new Error(`no pid in ${file}`);
  return pid;
}

/** Kills the instance's nats-server outright; resolves to its pid before and the one the daemon started since. */
async function killBus(instance: TestInstance): Promise<{ killed: number; restarted: number }> {
  const killed = pidOf(instance.paths.nats_pid_file);
  process.kill(killed, 'SIGKILL');
  const restarted = await eventually(
    'the daemon to start a new nats-server',
    () => {
      const pid = readPid(instance.paths.nats_pid_file);
      return Promise.resolve(pid !== null && pid !== killed && isAlive(pid) ? pid : null);
    },
    30_000,
  );
  return { killed, restarted };
}

/** Holds the daemon still (SIGSTOP) while `during` runs, so an outage lasts as long as a test needs. */
async function withDaemonFrozen<T>(instance: TestInstance, during: () => Promise<T>): Promise<T> {
  const daemon = pidOf(instance.paths.pid_file);
  process.kill(daemon, 'SIGSTOP');
  try {
    return await during();
  } finally {
    process.kill(daemon, 'SIGCONT');
  }
}

async function storedApp(instance: TestInstance): Promise<App> {
  return instance.json<App>(['get']);
}

/** Which request made each generation, as the App remembers it. */
function ledgerOf(app: App): Record<string, string> {
  return JSON.parse(app.metadata.annotations?.[ledgerAnnotation] ?? '{}') as Record<string, string>;
}

/** A fresh instance with a stopped App at generation 1 (kubernetes.version=1.29.0). */
function busRestartInstance(prefix: string): TestInstance {
  const instance = new TestInstance(uniqueInstance(prefix));
  beforeAll(async () => {
    await instance.ok(['set', 'kubernetes.version=1.29.0', '--timeout', '60s']);
  });
  afterAll(() => instance.dispose());
  return instance;
}

describe('rdd set when the bus was killed just before it', () => {
  const instance = busRestartInstance('busr-before');

  it('should apply the change once and say at which generation', async () => {
    const before = await storedApp(instance);

    const { killed, restarted } = await killBus(instance);
    const result = await instance.rdd(['set', 'kubernetes.version=1.30.1', '--timeout', '60s'], { timeoutMs: 90_000 });
    const after = await storedApp(instance);

    expect(restarted).not.toBe(killed);
    expect(isAlive(killed)).toBe(false);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toContain(`applied at generation ${(before.metadata.generation ?? 0) + 1}`);
    expect(result.stderr).toContain(`App settled at generation ${(before.metadata.generation ?? 0) + 1}`);
    expect(after.spec.kubernetes.version).toBe('1.30.1');
    expect(after.metadata.generation).toBe((before.metadata.generation ?? 0) + 1);
  });
});

describe('rdd set when the bus is killed while its request is in flight', () => {
  const instance = busRestartInstance('busr-flight');

  it('should keep asking through the restart and end with the change applied exactly once', async () => {
    const before = await storedApp(instance);
    const expected = (before.metadata.generation ?? 0) + 1;

    // A frozen daemon takes the request off the bus but cannot answer it: the request is in flight
    // when the bus dies, and may be stored by the daemon once it thaws, with the answer lost.
    const { set, bus } = await withDaemonFrozen(instance, async () => {
      const running = startRdd(instance, ['set', 'kubernetes.version=1.30.2', '--timeout', '60s']);
      await eventually('the set to have sent its request and heard nothing', () =>
        Promise.resolve(running.stderr().includes('still waiting for the rdd daemon to answer app.set')),
      );
      const killed = pidOf(instance.paths.nats_pid_file);
      process.kill(killed, 'SIGKILL');
      return { set: running, bus: { killed } };
    });
    const restarted = await eventually('a new nats-server', () => {
      const pid = readPid(instance.paths.nats_pid_file);
      return Promise.resolve(pid !== null && pid !== bus.killed && isAlive(pid) ? pid : null);
    });
    const result = await set.exited;
    const after = await storedApp(instance);

    expect(restarted).not.toBe(bus.killed);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toContain(`applied at generation ${expected}`);
    expect(result.stderr).toContain(`App settled at generation ${expected}`);
    expect(after.spec.kubernetes.version).toBe('1.30.2');
    expect(after.metadata.generation).toBe(expected);
    expect(
      Object.keys(ledgerOf(after))
        .map(Number)
        .filter((generation) => generation >= expected),
    ).toEqual([expected]);
  });
});

describe('rdd set when the bus is killed while it waits for Settled', () => {
  const instance = busRestartInstance('busr-wait');

  it('should keep waiting through the restart and end with the failure the App reports', async () => {
    const before = await storedApp(instance);
    const expected = (before.metadata.generation ?? 0) + 1;
    const socket = `${instance.home}/no-engine.sock`;

    // Nothing listens on the socket: the VM reports Starting for a while and then StartFailed, which is
    // the definite answer this wait must reach across the restart.
    const set = startRdd(instance, [
      'set',
      'vm.driver=external',
      `vm.socket=${socket}`,
      'running=true',
      '--timeout',
      '90s',
    ]);
    await eventually('the set to be waiting for Settled', () =>
      Promise.resolve(set.stderr().includes(`applied at generation ${expected}`)),
    );
    const { killed, restarted } = await killBus(instance);
    const result = await set.exited;
    const after = await storedApp(instance);

    expect(restarted).not.toBe(killed);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Error: Running=False\/StartFailed: .*no-engine\.sock/);
    expect(after.metadata.generation).toBe(expected);
    expect(after.spec).toMatchObject({ running: true, vm: { driver: 'external', socket } });
  }, 120_000);
});

describe('rdd set whose timeout is shorter than the outage', () => {
  const instance = busRestartInstance('busr-short');

  it('should exit 4 saying what it waited for, and store nothing', async () => {
    const before = await storedApp(instance);

    const { killed, result } = await withDaemonFrozen(instance, async () => {
      // The frozen daemon cannot restart its bus: the outage outlasts the set's timeout.
      const bus = pidOf(instance.paths.nats_pid_file);
      process.kill(bus, 'SIGKILL');
      await eventually('the nats-server to be gone', () => Promise.resolve(!isAlive(bus)));
      return {
        killed: bus,
        result: await instance.rdd(['set', 'kubernetes.version=1.31.0', '--timeout', '2s']),
      };
    });
    await eventually('a new nats-server', () => {
      const pid = readPid(instance.paths.nats_pid_file);
      return Promise.resolve(pid !== null && pid !== killed && isAlive(pid));
    });
    const after = await eventually('the App to be readable again', () => storedApp(instance));

    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /Error: timed out after 2s waiting for the rdd bus of instance \S+ to accept a connection; last: failed to connect to the rdd bus at nats:\/\/127\.0\.0\.1:\d+/,
    );
    expect(result.stderr).not.toMatch(/Error: timeout$/m);
    expect(after.spec.kubernetes.version).toBe(before.spec.kubernetes.version);
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  it('should exit 4 when its request went unanswered, and a second run of it should settle the change once', async () => {
    const before = await storedApp(instance);

    const unanswered = await withDaemonFrozen(instance, () =>
      instance.rdd(['set', 'kubernetes.version=1.31.1', '--timeout', '4s']),
    );
    const again = await instance.rdd(['set', 'kubernetes.version=1.31.1', '--timeout', '60s']);
    const after = await storedApp(instance);

    expect(unanswered.code).toBe(4);
    expect(unanswered.stderr).toMatch(
      /Error: timed out after 4s waiting for the rdd daemon to answer app\.set request \S+ based on generation \d+; last: no answer to app\.set .*; the change may or may not have been stored/,
    );
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/App (changed: applied|unchanged: the values are already set) at generation/);
    expect(after.spec.kubernetes.version).toBe('1.31.1');
    expect(after.metadata.generation).toBe((before.metadata.generation ?? 0) + 1);
  });
});

describe('app.set sent again after its answer was lost', () => {
  const instance = busRestartInstance('busr-again');

  it('should answer the earlier outcome instead of applying it again on top of a later change', async () => {
    const nc = await connectBus(await readCredentials(instance.paths.creds_file));
    try {
      const api = new ApiClient(nc, instance.name);
      const base = (await api.request('app.get', {})).metadata.generation ?? 0;
      const first = { id: 'request-first-0001', basedOnGeneration: base };
      const later = { id: 'request-later-0001', basedOnGeneration: base + 1 };

      const applied = await api.request('app.set', { changes: { 'kubernetes.version': '1.30.0' }, request: first });
      const resent = await api.request('app.set', { changes: { 'kubernetes.version': '1.30.0' }, request: first });
      await api.request('app.set', { changes: { 'kubernetes.version': '1.31.0' }, request: later });
      const resentAfterLater = await api.request('app.set', {
        changes: { 'kubernetes.version': '1.30.0' },
        request: first,
      });
      const stale = await api
        .request('app.set', {
          changes: { 'kubernetes.version': '1.32.0' },
          request: { id: 'request-stale-0001', basedOnGeneration: base },
        })
        .catch((error: unknown) => error);
      const after = await api.request('app.get', {});

      expect(applied).toMatchObject({ outcome: 'applied', generation: base + 1 });
      expect(resent).toMatchObject({ outcome: 'already-applied', generation: base + 1 });
      expect(resentAfterLater).toMatchObject({ outcome: 'already-applied', generation: base + 1 });
      expect(stale).toMatchObject({ code: 'Conflict', details: { reason: 'BaseMoved' } });
      expect(after.spec.kubernetes.version).toBe('1.31.0');
      expect(after.metadata.generation).toBe(base + 2);
    } finally {
      await nc.close();
    }
  });
});
