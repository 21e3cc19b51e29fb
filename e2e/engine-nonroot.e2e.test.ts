/**
 * rdd as a developer runs it on Linux: as a non-root user, the engine in a user and network namespace
 * of its own. The test (root) makes a temporary user, lets it use /dev/net/tun, runs the built CLI as
 * that user, and undoes all of it afterwards — the tun device's mode too, whatever failed. With the
 * tun device closed to the user, `rdd start` names the command that opens it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CliResult } from './support/cli.js';
import { uniqueInstance } from './support/cli.js';
import { eventually } from './support/eventually.js';
import { fetchByName, fetchFromPublishedPort } from './support/engine-network.js';
import { TestUser } from './support/test-user.js';
import { ensureBusyboxImage } from './drivers/busybox-image.js';

const tun = '/dev/net/tun';
const instance = uniqueInstance('nr');
const closedTunInstance = uniqueInstance('nrtun');
const originalTunMode = fs.statSync(tun).mode & 0o7777;
let user: TestUser;

function expectOk(result: CliResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}\n${result.stderr}${result.stdout}`);
}

beforeAll(async () => {
  user = await TestUser.create('rddnr');
  await user.reachRepository();
}, 60_000);

afterAll(async () => {
  try {
    for (const name of [instance, closedTunInstance]) {
      await user?.rdd(name, ['svc', 'delete', '--purge', '--yes', '--timeout', '30s']).catch(() => undefined);
    }
    await user?.remove();
  } finally {
    fs.chmodSync(tun, originalTunMode);
  }
}, 120_000);

describe('rdd as a non-root user with the tun device open to it', () => {
  let socket: string;

  beforeAll(() => {
    fs.chmodSync(tun, 0o666);
    socket = user.paths(instance).docker_socket;
  });

  it('should start the daemon and a running engine of the user’s own', async () => {
    expectOk(await user.rdd(instance, ['svc', 'start']), 'rdd svc start');
    expectOk(await user.rdd(instance, ['start', '--timeout', '3m'], 200_000), 'rdd start');
    const docker = await user.run(
      'docker',
      ['-H', `unix://${socket}`, 'info', '--format', '{{json .SecurityOptions}}'],
      {},
    );
    const owner = fs.statSync(socket).uid;

    expect(docker.stdout).toContain('name=rootless');
    expect(owner).toBe(user.uid);
  }, 240_000);

  it('should let two containers reach each other by name and publish a port on the host’s 127.0.0.1', async () => {
    await ensureBusyboxImage(socket);

    const byName = await fetchByName(socket, 'user');
    const { page } = await fetchFromPublishedPort(socket, 'user');

    expect(byName).toBe('by-name-ok');
    expect(page).toBe('published-ok');
  }, 120_000);

  it('should stop the engine and the daemon', async () => {
    const stop = await user.rdd(instance, ['stop', '--timeout', '2m'], 150_000);
    const svcStop = await user.rdd(instance, ['svc', 'stop']);

    expect(stop.code).toBe(0);
    expect(svcStop.code).toBe(0);
    expect(fs.existsSync(socket)).toBe(false);
    expect(user.commandLines()).toEqual([]);
  }, 180_000);
});

describe('rdd as a non-root user with the tun device closed to it', () => {
  beforeAll(() => fs.chmodSync(tun, 0o600));

  it('should refuse to start, naming the command that opens the tun device', async () => {
    const result = await user.rdd(closedTunInstance, ['start', '--timeout', '1m'], 90_000);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`/dev/net/tun is not readable and writable by ${user.name}`);
    expect(result.stderr).toContain('sudo chmod 0666 /dev/net/tun');
  }, 120_000);

  it('should fail the start at once with the same fix when vm.driver=dockerd is asked for by name', async () => {
    const result = await user.rdd(
      closedTunInstance,
      ['set', 'vm.driver=dockerd', 'running=true', '--timeout', '1m'],
      90_000,
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Running=False\/StartFailed: .*sudo chmod 0666 \/dev\/net\/tun/);
  }, 120_000);
  it('should say why at warn once in the daemon log and wait for the user instead of retrying', async () => {
    const log = path.join(user.paths(closedTunInstance).log_dir, 'rdd.log');
    const lines = (): { level?: string; message?: string }[] =>
      fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level?: string; message?: string });
    const startsLogged = (): number => lines().filter((line) => line.message === 'Starting the dockerd engine…').length;
    const startsBefore = startsLogged();
    // A retry would come after the backoff's first 1 s, then 2 s: 4 s without one is no retry.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const startsAfterWaiting = startsLogged();
    const again = await user.rdd(closedTunInstance, ['start', '--timeout', '1m'], 90_000);
    // rdd start may read the StartFailed already there before the retry it asked for has begun.
    await eventually('rdd start to retry the start', () => Promise.resolve(startsLogged() > startsAfterWaiting));
    const warnings = lines().filter(
      (line) => line.level === 'warn' && line.message?.startsWith('the dockerd engine could not start: '),
    );

    expect(startsBefore).toBeGreaterThanOrEqual(1);
    expect(startsAfterWaiting).toBe(startsBefore);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/StartFailed: .*not retrying/);
    expect(startsLogged()).toBe(startsBefore + 1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain(`/dev/net/tun is not readable and writable by ${user.name}`);
    expect(warnings[0]?.message).toContain('not retrying until it is fixed');
  }, 120_000);
});
