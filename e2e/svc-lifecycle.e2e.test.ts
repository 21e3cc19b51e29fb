/**
 * The daemon's life from the CLI when it is not simply up or down: alive but not answering (stopped
 * with SIGSTOP, or its nats-server killed), and `svc start` racing `svc stop` while the stop takes a
 * while (the App runs rdd's dockerd, which the stop shuts down).
 */
import fs from 'node:fs';
import path from 'node:path';
import { commandLine, isAlive } from '../host/processes.js';
import { busyboxImage, docker, ensureBusyboxImage } from './drivers/busybox-image.js';
import { eventually, readPid, TestInstance, uniqueInstance, type CliResult } from './support/cli.js';

interface SvcStatus {
  running: boolean;
  pid: number | null;
}

const instance = new TestInstance(uniqueInstance('life'));
const daemonOut = path.join(instance.paths.log_dir, 'daemon.out');
const daemonLog = path.join(instance.paths.log_dir, 'rdd.log');

afterAll(() => instance.dispose(), 60_000);

/** What a file gained since `offset` (a spawned daemon that lost the instance lock says so in daemon.out). */
function gainedSince(file: string, offset: number): string {
  return fs.existsSync(file) ? fs.readFileSync(file).subarray(offset).toString('utf8') : '';
}

function sizeOf(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size : 0;
}

/** Pids of live daemon processes of this instance (read-only look at /proc; nothing is signalled). */
async function daemonsOf(name: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const command = await commandLine(Number(entry));
    if (command?.includes('rdd-daemon') && `${command} `.includes(`--instance ${name} `)) found.push(Number(entry));
  }
  return found;
}

describe('a daemon that is alive but not answering', () => {
  beforeAll(() => instance.ok(['svc', 'start']), 60_000);

  it('should be waited for, not doubled, while it is stopped (SIGSTOP)', async () => {
    const daemonPid = readPid(instance.paths.pid_file) as number;
    const outOffset = sizeOf(daemonOut);
    process.kill(daemonPid, 'SIGSTOP');
    let command: Promise<CliResult>;
    try {
      const whileStopped = await instance.json<SvcStatus>(['svc', 'status']);
      expect(whileStopped.running).toBe(false);
      expect(isAlive(daemonPid)).toBe(true);

      // `rdd get` needs a living daemon (requireDaemon) and waits for a busy one; with no App it then says so.
      command = instance.rdd(['get'], { timeoutMs: 60_000 });
      // Long enough for the command to give up on a status request more than once.
      await new Promise((resolve) => setTimeout(resolve, 8_000));
    } finally {
      process.kill(daemonPid, 'SIGCONT');
    }
    const result = await command;

    expect(result.stderr).toContain(`(pid ${daemonPid}) is alive but not answering yet; waiting for it`);
    expect(result.stderr).not.toContain('is not running; starting it');
    expect(result.stderr).toContain('App "app" not found');
    expect(result.code).toBe(1);
    expect(gainedSince(daemonOut, outOffset)).not.toContain('already running');
    expect(await daemonsOf(instance.name)).toEqual([daemonPid]);
  }, 90_000);

  it('should be waited for, not doubled, while it restarts its killed nats-server', async () => {
    const daemonPid = readPid(instance.paths.pid_file) as number;
    const serverPid = readPid(instance.paths.nats_pid_file) as number;
    const outOffset = sizeOf(daemonOut);

    process.kill(serverPid, 'SIGKILL');
    await eventually('the nats-server to die', () => Promise.resolve(!isAlive(serverPid)));
    const result = await instance.rdd(['stop'], { timeoutMs: 60_000 });

    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('is not running; starting it');
    expect(gainedSince(daemonOut, outOffset)).not.toContain('already running');
    expect(readPid(instance.paths.pid_file)).toBe(daemonPid);
    expect(await daemonsOf(instance.name)).toEqual([daemonPid]);
  }, 90_000);
});

describe('svc start racing svc stop', () => {
  const slowStopper = 'rdd-slow-stop';
  /** How many times the daemon has begun a shutdown, from its own log. */
  const stopsBegun = (): number =>
    fs.existsSync(daemonLog)
      ? fs.readFileSync(daemonLog, 'utf8').split('Stopping rdd daemon of instance').length - 1
      : 0;

  // The App runs rdd's dockerd with a container that ignores SIGTERM (busybox sleep as PID 1, no init),
  // so each stop waits out its stop timeout: the seconds-long window the race needs.
  beforeEach(async () => {
    await instance.ok(['start', '--timeout', '3m']);
    const socket = instance.paths.docker_socket;
    await ensureBusyboxImage(socket);
    const existing = await docker(socket, ['ps', '-aq', '--filter', `name=^${slowStopper}$`]);
    if (!existing) {
      await docker(socket, ['create', '--name', slowStopper, '--stop-timeout', '8', busyboxImage, 'sleep', '3600']);
    }
    await docker(socket, ['start', slowStopper]);
  }, 240_000);

  it.each([1, 2])(
    'should wait out a stop already under way and then start a new daemon (round %i)',
    async () => {
      const oldPid = readPid(instance.paths.pid_file) as number;
      const before = stopsBegun();

      const stop = instance.rdd(['svc', 'stop'], { timeoutMs: 120_000 });
      await eventually('the daemon to begin its shutdown', () => Promise.resolve(stopsBegun() > before), 30_000);
      const start = await instance.rdd(['svc', 'start', '--timeout', '60s'], { timeoutMs: 90_000 });
      const stopped = await stop;
      const status = await instance.json<SvcStatus>(['svc', 'status']);

      expect(stopped.code).toBe(0);
      expect(start).toMatchObject({ code: 0 });
      expect(start.stderr).toContain('Started rdd daemon');
      expect(isAlive(oldPid)).toBe(false);
      expect(status.running).toBe(true);
      expect(status.pid).not.toBe(oldPid);
      expect(await daemonsOf(instance.name)).toEqual([status.pid]);
    },
    240_000,
  );

  it.each([1, 2])(
    'should end as its output says when started at the same moment as a stop (round %i)',
    async () => {
      const [stopped, start] = await Promise.all([
        instance.rdd(['svc', 'stop'], { timeoutMs: 120_000 }),
        instance.rdd(['svc', 'start', '--timeout', '60s'], { timeoutMs: 90_000 }),
      ]);
      const status = await instance.json<SvcStatus>(['svc', 'status']);

      expect(stopped.code).toBe(0);
      expect(start).toMatchObject({ code: 0 });
      // Either the start came first (it found the daemon, which the stop then ended) or it waited for
      // the stop and started a new one; never a start that reports success and leaves nothing running.
      expect(status.running).toBe(start.stderr.includes('Started rdd daemon'));
    },
    240_000,
  );
});
