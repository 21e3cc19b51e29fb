/**
 * For fault tests: what must survive a fault (the engine process, every running container with its
 * StartedAt, the App spec, every spec.state, mirrors equal to the engine), a watcher attached across
 * faults, and the faults themselves (kill -9 of a pid file's process, a crash injected into an actor).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { App } from '../../protocol/app.schema.js';
import type { DaemonStatus } from '../../protocol/api.schema.js';
import { connectBus, readCredentials } from '../../client/api-client.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import type { Image } from '../../protocol/mirrors/image.schema.js';
import type { Volume } from '../../protocol/mirrors/volume.schema.js';
import { faultInjectionSubject } from '../../protocol/subjects.js';
import { eventually, readPid, repoRoot, type TestInstance } from './cli.js';
import type { EngineSession } from './mirrors.js';

/** The state a fault must not change. */
export interface Survivors {
  enginePid: number;
  /** Container ID → State.StartedAt of every running container. */
  startedAt: Record<string, string>;
  /** Container ID → spec.state of every mirror. */
  desired: Record<string, string>;
  appSpec: App['spec'];
  appGeneration: number;
}

export async function daemonStatus(instance: TestInstance): Promise<DaemonStatus> {
  return instance.json<DaemonStatus>(['svc', 'status']);
}

/** The App, once it is Settled=True again (after a fault the daemon recovers by itself). */
export async function settledApp(instance: TestInstance, timeoutMs = 90_000): Promise<App> {
  return eventually(
    'the App to be Settled=True',
    async () => {
      const result = await instance.rdd(['get', '-o', 'json']);
      if (result.code !== 0) return null;
      const app = JSON.parse(result.stdout) as App;
      const settled = app.status.conditions.find((condition) => condition.type === 'Settled');
      const ready = app.status.conditions.find((condition) => condition.type === 'ContainerEngineReady');
      return settled?.status === 'True' && ready?.status === 'True' ? app : null;
    },
    timeoutMs,
  );
}

export async function survivors(instance: TestInstance, engine: EngineSession): Promise<Survivors> {
  const app = await settledApp(instance);
  const status = await daemonStatus(instance);
  const { enginePid } = status;
  if (enginePid === undefined) throw new Error('svc status shows no enginePid');
  const running = (await engine.docker(['ps', '-q', '--no-trunc'])).split('\n').filter(Boolean);
  const startedAt: Record<string, string> = {};
  for (const id of running) startedAt[id] = await engine.docker(['inspect', '-f', '{{.State.StartedAt}}', id]);
  const desired: Record<string, string> = {};
  for (const mirror of await engine.list<Container>('containers')) desired[mirror.metadata.name] = mirror.spec.state;
  return {
    enginePid,
    startedAt,
    desired,
    appSpec: app.spec,
    appGeneration: app.metadata.generation ?? 0,
  };
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean).sort();

/** Waits until the container, image and volume mirrors are exactly what the engine has. */
export async function mirrorsMatchEngine(engine: EngineSession, timeoutMs = 60_000): Promise<void> {
  await eventually(
    'the mirrors to equal docker ps -a, docker images and docker volume ls',
    async () => {
      const containers = lines(await engine.docker(['ps', '-aq', '--no-trunc']));
      const containerMirrors = (await engine.list<Container>('containers')).map((mirror) => mirror.metadata.name);
      const tags = lines(await engine.docker(['images', '--format', '{{.Repository}}:{{.Tag}}']));
      const imageMirrors = (await engine.list<Image>('images')).map((mirror) => mirror.status.repoTag);
      const volumes = lines(await engine.docker(['volume', 'ls', '-q']));
      const volumeMirrors = (await engine.list<Volume>('volumes')).map((mirror) => mirror.status.name);
      const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify([...b].sort());
      if (!same(containers, containerMirrors))
        throw new Error(`containers ${containers.join()} vs ${containerMirrors.join()}`);
      if (!same(tags, imageMirrors)) throw new Error(`images ${tags.join()} vs ${imageMirrors.join()}`);
      if (!same(volumes, volumeMirrors)) throw new Error(`volumes ${volumes.join()} vs ${volumeMirrors.join()}`);
      return true;
    },
    timeoutMs,
  );
}

/** kill -9 of the process a pid file names; resolves with its pid once it is gone. */
export async function killFromPidFile(file: string): Promise<number> {
  const pid = readPid(file);
  if (pid === null) throw new Error(`no pid in ${file}`);
  process.kill(pid, 'SIGKILL');
  await eventually(`pid ${pid} to exit`, () => Promise.resolve(!isAlive(pid)));
  return pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks a daemon started with RDD_FAULT_INJECTION=1 to crash `supervisor/child`. Only the daemon role
 * may publish there, so the test borrows the daemon's credentials.
 */
export async function injectCrash(instance: TestInstance, supervisor: string, child: string): Promise<void> {
  const nc = await connectBus(await readCredentials(instance.paths.daemon_creds_file), { name: 'rdd-fault-test' });
  try {
    const reply = await nc.request(faultInjectionSubject(instance.name), JSON.stringify({ supervisor, child }), {
      timeout: 5_000,
    });
    const body = reply.json<{ ok: boolean; error?: string }>();
    if (!body.ok) throw new Error(`crash injection into ${supervisor}/${child} refused: ${body.error}`);
  } finally {
    await nc.close();
  }
}

/** `rdd ctl get containers -w -o json` running across faults; keeps the last object it saw per name. */
export class ContainerWatcher {
  readonly latest = new Map<string, { type: string; object: Container }>();
  private readonly child: ChildProcess;
  private buffer = '';

  constructor(instance: TestInstance) {
    this.child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin', 'rdd'), 'ctl', 'get', 'containers', '-w', '-o', 'json'],
      { env: instance.env },
    );
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let newline = this.buffer.indexOf('\n');
      while (newline >= 0) {
        const event = JSON.parse(this.buffer.slice(0, newline)) as { type: string; object: Container };
        this.latest.set(event.object.metadata.name, event);
        this.buffer = this.buffer.slice(newline + 1);
        newline = this.buffer.indexOf('\n');
      }
    });
  }

  /** Waits until the watcher's view equals the mirrors as `ctl get` lists them now. */
  async caughtUpWith(engine: EngineSession): Promise<void> {
    await eventually('the watcher to have seen every change', async () => {
      const mirrors = await engine.list<Container>('containers');
      const live = [...this.latest.values()].filter((event) => event.type !== 'DELETED');
      const seen = new Map(live.map((event) => [event.object.metadata.name, event.object.metadata.resourceVersion]));
      if (seen.size !== mirrors.length) throw new Error(`watcher has ${seen.size}, ctl get ${mirrors.length}`);
      return mirrors.every((mirror) => seen.get(mirror.metadata.name) === mirror.metadata.resourceVersion);
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}
