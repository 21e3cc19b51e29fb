/**
 * The docker CLI wired to rdd's engine, checked with the real `docker` CLI against a real daemon and
 * dockerd: the context `rdd-<instance>` exists while the engine runs, becomes current only when the
 * user's current context is missing or dead, goes away (and stops being current) with `rdd stop`, and
 * `rdd run` points a command at it. The instance has its own HOME and DOCKER_CONFIG, so the user's
 * ~/.docker is never touched.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../protocol/app.schema.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { daemonStatus, injectCrash, killFromPidFile, settledApp } from './support/faults.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('ctx'));
const contextName = `rdd-${instance.name}`;
const dockerConfig = path.join(instance.home, '.docker');
// The daemon's "default" docker endpoint must be dead whatever this machine runs on /var/run/docker.sock,
// or "with no config, rdd's context becomes current" would depend on the machine.
instance.env.DOCKER_CONFIG = dockerConfig;
instance.env.DOCKER_HOST = `unix://${path.join(instance.home, 'no-default-engine.sock')}`;
delete instance.env.DOCKER_CONTEXT;
instance.env.RDD_FAULT_INJECTION = '1';

/** The docker CLI as the user runs it: their DOCKER_CONFIG, no DOCKER_HOST overriding the context. */
function docker(args: string[]): Promise<string> {
  const env = { ...instance.env };
  delete env.DOCKER_HOST;
  return new Promise((resolve, reject) => {
    execFile('docker', args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

const contextNames = async (): Promise<string[]> =>
  (await docker(['context', 'ls', '--format', '{{.Name}}'])).split('\n');
const readConfig = (): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(dockerConfig, 'config.json'), 'utf8')) as Record<string, unknown>;
const start = () => instance.ok(['start', '--timeout', '3m']);
const stop = () => instance.ok(['stop', '--timeout', '2m']);

beforeAll(async () => {
  await instance.ok(['set', 'vm.driver=dockerd', '--no-wait']);
  await start();
}, 240_000);

afterAll(async () => {
  await instance.dispose();
});

describe('the docker context of a running engine', () => {
  it('should exist, point at the engine socket and be current when the user had no docker config', async () => {
    expect(await contextNames()).toContain(contextName);
    expect(await docker(['context', 'show'])).toBe(contextName);
    expect(await docker(['context', 'inspect', contextName, '--format', '{{.Endpoints.docker.Host}}'])).toBe(
      `unix://${instance.paths.docker_socket}`,
    );
  });

  it('should show the socket rdd really uses in the status, and no socket in the spec', async () => {
    const app = await instance.json<App>(['get']);

    expect(app.spec.vm).toMatchObject({ driver: 'dockerd', socket: '' });
    expect(app.status.vm).toMatchObject({ socket: instance.paths.docker_socket, dockerContext: contextName });
    expect((await instance.ok(['get'])).stdout).toContain(instance.paths.docker_socket);
  });

  it('should run a command against the context with rdd run', async () => {
    const show = await instance.rdd(['run', 'docker', 'context', 'show']);
    const ps = await instance.rdd(['run', 'docker', 'ps', '-a', '--format', '{{.ID}}']);
    const version = await instance.rdd(['run', '--', 'docker', 'version', '--format', '{{.Server.Os}}']);

    expect(show).toEqual({ code: 0, stdout: `${contextName}\n`, stderr: '' });
    expect(ps).toMatchObject({ code: 0, stderr: '' });
    expect(version).toEqual({ code: 0, stdout: 'linux\n', stderr: '' });
  });

  it("should exit with the command's status and print nothing of its own", async () => {
    const result = await instance.rdd(['run', 'sh', '-c', 'exit 7']);

    expect(result).toEqual({ code: 7, stdout: '', stderr: '' });
  });
});

describe('the docker context across restarts of what manages the engine', () => {
  // Removing rdd's current context rewrites config.json (currentContext goes), and writing it back makes
  // a new file: the same inode proves the context was never removed, even for a moment.
  const configInode = (): number => fs.statSync(path.join(dockerConfig, 'config.json')).ino;

  it('should keep the context when the VM actor is stopped for a restart and adopts the engine', async () => {
    // A crash of the store restarts everything after it under rest_for_one: the App subtree, and with it
    // the VM actor, is stopped for a restart (it detaches from the engine) and started again.
    const inode = configInode();
    const restartsOf = async () =>
      (await daemonStatus(instance)).children.find((entry) => entry.supervisor === 'root' && entry.id === 'store')
        ?.restarts ?? -1;
    const restartsBefore = await restartsOf();

    await injectCrash(instance, 'root', 'store');

    await eventually('root/store to be restarted', async () => (await restartsOf()) > restartsBefore);
    await settledApp(instance);
    expect(await docker(['context', 'show'])).toBe(contextName);
    expect(configInode()).toBe(inode);
  });

  it('should keep the context when the daemon is killed -9 and the next one adopts the engine', async () => {
    const inode = configInode();

    const killed = await killFromPidFile(instance.paths.pid_file);
    expect(await contextNames()).toContain(contextName);
    await instance.ok(['svc', 'start']);

    expect((await daemonStatus(instance)).pid).not.toBe(killed);
    const app = await settledApp(instance);
    expect(app.status.vm).toMatchObject({ socket: instance.paths.docker_socket, dockerContext: contextName });
    expect(await docker(['context', 'show'])).toBe(contextName);
    expect(configInode()).toBe(inode);
  });
});

describe('the current context at engine start', () => {
  it("should replace a current context whose socket does not answer, keeping config.json's other keys", async () => {
    // Arrange: the user's current context is broken, and config.json holds a key of theirs.
    await docker(['context', 'create', 'broken', '--docker', 'host=unix:///nonexistent.sock']);
    await docker(['context', 'use', 'broken']);
    fs.writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ ...readConfig(), psFormat: 'table {{.ID}}' }),
    );
    await stop();
    expect(await docker(['context', 'show'])).toBe('broken');

    // Act
    await start();

    // Assert
    expect(await docker(['context', 'show'])).toBe(contextName);
    expect(readConfig()).toMatchObject({ currentContext: contextName, psFormat: 'table {{.ID}}' });
  });

  it('should remove its context at rdd stop and reset currentContext that named it', async () => {
    expect(readConfig().currentContext).toBe(contextName);

    await stop();

    expect(await contextNames()).not.toContain(contextName);
    expect(readConfig().currentContext).toBeUndefined();
    expect(readConfig().psFormat).toBe('table {{.ID}}');
    expect(await docker(['context', 'show'])).toBe('default');
  });

  it('should keep a current context the user chose when it answers', async () => {
    // Arrange: a context of the user's own that reaches the engine (its socket, once started).
    await docker(['context', 'create', 'mine', '--docker', `host=unix://${instance.paths.docker_socket}`]);
    await docker(['context', 'use', 'mine']);

    // Act
    await start();

    // Assert
    expect(await docker(['context', 'show'])).toBe('mine');
    expect(await contextNames()).toContain(contextName);
    await stop();
    expect(await docker(['context', 'show'])).toBe('mine');
    expect(await contextNames()).not.toContain(contextName);
  });
});
