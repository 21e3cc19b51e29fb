/**
 * The mirrors when the engine misbehaves (the review's untested scenarios 5, 6 and 8): a transient
 * inspect failure during a resync deletes nothing, objects created and removed while the engine
 * reconnects converge to exactly what exists, and a watcher never sees a mirror deleted and recreated.
 * rdd is attached (external driver) to a fault-injecting proxy in front of a private dockerd.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../protocol/app.schema.js';
import type { Container } from '../protocol/mirrors/container.schema.js';
import { docker, ensureBusyboxImage } from './drivers/busybox-image.js';
import { repoRoot, TestInstance, uniqueInstance } from './support/cli.js';
import { startDockerProxy, type DockerProxy } from './support/docker-proxy.js';
import { startPrivateDockerd, type PrivateDockerd } from './support/engine.js';
import { eventually } from './support/eventually.js';
import { busyboxImage, EngineSession, runSleeper } from './support/mirrors.js';

const instance = new TestInstance(uniqueInstance('flt'));
let dockerd: PrivateDockerd;
let proxy: DockerProxy;
let engine: EngineSession;
const upstream = (args: string[]) => docker(dockerd.socket, args);

/** Watchers not stopped yet: a failed test leaves its own, and `afterEach` stops them. */
const watching = new Set<Watcher<unknown>>();

/** Every change a `rdd ctl get … -w -o json` watcher printed, parsed. */
class Watcher<R> {
  readonly events: { type: string; object: R }[] = [];
  private readonly child: ChildProcess;
  private buffer = '';

  constructor(target: string[]) {
    this.child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin', 'rdd'), 'ctl', 'get', ...target, '-w', '-o', 'json'],
      {
        env: instance.env,
      },
    );
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let newline = this.buffer.indexOf('\n');
      while (newline >= 0) {
        this.events.push(JSON.parse(this.buffer.slice(0, newline)) as { type: string; object: R });
        this.buffer = this.buffer.slice(newline + 1);
        newline = this.buffer.indexOf('\n');
      }
    });
    watching.add(this);
  }

  stop(): void {
    watching.delete(this);
    this.child.kill('SIGTERM');
  }
}

const watchContainers = () => new Watcher<Container>(['containers']);

const deletedIds = (watcher: Watcher<Container>): string[] =>
  watcher.events.filter((event) => event.type === 'DELETED').map((event) => event.object.metadata.name);

/** `status/reason` of ContainerEngineReady in every App the watcher saw, oldest first. */
const engineReadiness = (watcher: Watcher<App>): string[] =>
  watcher.events.flatMap(({ object }) =>
    object.status.conditions
      .filter((condition) => condition.type === 'ContainerEngineReady')
      .map((condition) => `${condition.status}/${condition.reason}`),
  );

/** How many times rdd has opened the engine's event stream through the proxy. */
const eventStreamsOpened = (): number => proxy.requests.filter((request) => request.route === '/events').length;

beforeAll(async () => {
  dockerd = await startPrivateDockerd(uniqueInstance('fltd'));
  await ensureBusyboxImage(dockerd.socket);
  proxy = await startDockerProxy({
    upstream: dockerd.socket,
    socket: path.join(os.tmpdir(), `${instance.name}.proxy.sock`),
  });
  await instance.ok(['set', 'vm.driver=external', `vm.socket=${proxy.socket}`, 'running=true', '--timeout', '2m']);
  engine = new EngineSession(instance, proxy.socket);
}, 180_000);

afterEach(() => {
  for (const watcher of watching) watcher.stop();
});

afterAll(async () => {
  await instance.dispose();
  await proxy?.close();
  await dockerd?.stop();
});

/** The container IDs the engine has and the container mirrors rdd has, once they agree. */
async function converged(): Promise<string[]> {
  return eventually(
    'the container mirrors to match the engine',
    async () => {
      const engineIds = (await upstream(['ps', '-aq', '--no-trunc'])).split('\n').filter(Boolean).sort();
      const mirrorIds = (await engine.list<Container>('containers')).map((mirror) => mirror.metadata.name).sort();
      if (JSON.stringify(engineIds) !== JSON.stringify(mirrorIds)) {
        throw new Error(`engine ${engineIds.length} ≠ mirrors ${mirrorIds.length}`);
      }
      return mirrorIds;
    },
    60_000,
  );
}

describe('mirrors through a faulty engine', () => {
  it('should keep a mirror whose inspect fails during a resync, and converge once the engine answers (I5, I6)', async () => {
    const id = await runSleeper(dockerd.socket, { name: 'flaky' });
    await engine.container(id);
    const watcher = watchContainers();
    await eventually('the watcher to list', () => watcher.events.length > 0);
    const fault = proxy.faults.add({ method: 'GET', path: new RegExp(`^/containers/${id}/json$`), times: 3 });

    // Stop it while rdd cannot see (the stream is cut), so only the resync can tell it changed.
    proxy.faults.dropConnections();
    await upstream(['stop', id]);
    await engine.wait([`container/${id}`, '--for=jsonpath={.status.status}=exited'], '60s');
    watcher.stop();

    expect(fault.hits).toBeGreaterThanOrEqual(1);
    expect(deletedIds(watcher)).not.toContain(id);
  });

  it('should converge to exactly the objects that exist when they come and go while the engine reconnects', async () => {
    const churn = async (round: number): Promise<void> => {
      const ids = await Promise.all(
        [0, 1, 2].map((index) => upstream(['create', '--name', `churn-${round}-${index}`, busyboxImage, 'true'])),
      );
      proxy.faults.dropConnections();
      await upstream(['rm', ids[round % 3]!]);
    };
    for (let round = 0; round < 5; round += 1) await churn(round);
    const mirrors = await converged();

    expect(mirrors.length).toBe((await upstream(['ps', '-aq'])).split('\n').filter(Boolean).length);
  });

  it('should keep every mirror, never deleting and recreating one, when the engine connection dies', async () => {
    const before = await engine.list<Container>('containers');
    const watcher = watchContainers();
    // Watched, not polled: Disconnected may last less than one `rdd get` before rdd is back.
    const app = new Watcher<App>(['app', 'app']);
    await eventually('the watchers to list', () => watcher.events.length >= before.length && app.events.length > 0);
    const streamsBefore = eventStreamsOpened();

    const dropped = proxy.faults.dropConnections();

    // The fault happened: the event stream was cut, rdd said so, and opened a new one.
    expect(dropped).toBeGreaterThanOrEqual(1);
    await eventually('the engine to be reported disconnected', () =>
      engineReadiness(app).includes('False/Disconnected'),
    );
    await eventually('the engine to be reported connected again', () => {
      const seen = engineReadiness(app);
      return seen.lastIndexOf('True/Connected') > seen.indexOf('False/Disconnected');
    });
    app.stop();
    expect(eventStreamsOpened()).toBeGreaterThan(streamsBefore);

    const late = await upstream(['create', '--name', 'after-reconnect', busyboxImage, 'true']);
    await engine.container(late);
    watcher.stop();
    const after = await engine.list<Container>('containers');

    expect(deletedIds(watcher)).toEqual([]);
    expect(after.map((mirror) => mirror.metadata.creationTimestamp)).toEqual(
      expect.arrayContaining(before.map((mirror) => mirror.metadata.creationTimestamp)),
    );
    expect(after).toHaveLength(before.length + 1);
  });
});
