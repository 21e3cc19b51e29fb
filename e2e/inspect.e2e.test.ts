/**
 * `rdd inspect` and `rdd set --trace` against a real daemon with the dockerd driver: the supervision
 * tree and its telemetry across a nats-server crash, the engine actor's transitions across a dockerd
 * crash, and one request's path through the actors. Processes are killed by pid only. The bus crash
 * comes first, while nobody holds the inspection lease; the last test crashes it again with a watcher.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { App } from '../protocol/app.schema.js';
import type { InspectionEvent } from '../protocol/inspection.schema.js';
import { isAlive } from '../host/processes.js';
import type { SupervisionEvent } from '../protocol/supervision.schema.js';
import { readPid, repoRoot, TestInstance, uniqueInstance } from './support/cli.js';
import { eventually } from './support/eventually.js';
import { busyboxImage, docker, ensureBusyboxImage } from './drivers/busybox-image.js';

interface TreeNode {
  id: string;
  supervisor?: string;
  running?: boolean;
  restarts?: number;
  lastError?: string;
  state?: string;
  children: TreeNode[];
}

/** A long-running `rdd` (a live inspect) whose output is read while it runs; stopped with SIGTERM by pid. */
class Background {
  stdout = '';
  stderr = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(instance: TestInstance, args: string[]) {
    this.child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'rdd'), ...args], { env: instance.env });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The complete NDJSON lines printed so far. */
  lines<T>(): T[] {
    return this.stdout
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line) as T);
  }

  async stop(): Promise<number | null> {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null)
      process.kill(pid, 'SIGTERM');
    return this.exited;
  }
}

const find = (node: TreeNode, id: string): TreeNode | undefined =>
  node.id === id ? node : node.children.map((child) => find(child, id)).find(Boolean);
const actorStates = (tree: TreeNode): Record<string, string | undefined> => {
  const subtree = tree.children.find((node) => node.id === 'app');
  return Object.fromEntries((subtree?.children ?? []).map((node) => [node.id, node.state]));
};
const settledAndConnected = (app: App): boolean =>
  ['Settled', 'ContainerEngineReady'].every(
    (type) => app.status.conditions.find((condition) => condition.type === type)?.status === 'True',
  );

describe('rdd inspect with the dockerd driver', () => {
  const instance = new TestInstance(uniqueInstance('insp'));
  const background: Background[] = [];
  const startInspect = async (args: string[]): Promise<Background> => {
    const inspector = new Background(instance, ['inspect', ...args]);
    background.push(inspector);
    await eventually('the inspector to be ready', () => Promise.resolve(/Ctrl-C to stop/.test(inspector.stderr)));
    return inspector;
  };
  const tree = (): Promise<TreeNode> => instance.json<TreeNode>(['inspect', '--tree']);

  beforeAll(async () => {
    await instance.ok(['start', '--timeout', '3m']);
  }, 240_000);

  afterEach(async () => {
    await Promise.all(background.splice(0).map((inspector) => inspector.stop()));
  });

  afterAll(() => instance.dispose());

  it('should refuse with exit 1 and say how to start the daemon when it is not running', async () => {
    const stopped = new TestInstance(uniqueInstance('insp-none'));
    try {
      const results = await Promise.all([
        stopped.rdd(['inspect']),
        stopped.rdd(['inspect', '--tree']),
        stopped.rdd(['inspect', '--supervision']),
      ]);

      expect(results.map((result) => result.code)).toEqual([1, 1, 1]);
      for (const result of results) expect(result.stderr).toMatch(/is not running.*; start it with: rdd svc start/);
    } finally {
      await stopped.dispose();
    }
  });

  it('should show the tree with each actor state, then the bus restarted after its nats-server is killed', async () => {
    const before = await tree();
    const serverPid = readPid(instance.paths.nats_pid_file) as number;

    process.kill(serverPid, 'SIGKILL');
    const after = await eventually(
      'the bus to be restarted',
      async () => {
        const current = await tree();
        const bus = find(current, 'bus');
        return bus?.running && (bus.restarts ?? 0) >= 1 && actorStates(current).engine ? current : null;
      },
      60_000,
    );

    expect(before.children.map((node) => node.id)).toEqual(['bus', 'store', 'inspection', 'app', 'api']);
    expect(actorStates(before)).toEqual({
      app: expect.any(String),
      vm: 'started',
      // The liveness region runs beside the sync: the engine answers pings while it is watched.
      engine: 'connected.sync.watching,liveness.answering',
    });
    expect(find(after, 'bus')).toMatchObject({ supervisor: 'root', running: true, lastError: expect.any(String) });
    expect(find(after, 'bus')?.restarts).toBeGreaterThanOrEqual(1);
    expect(Object.keys(actorStates(after))).toEqual(['app', 'vm', 'engine']);
  });

  it('should replay the bus crash and restart from the supervision stream', async () => {
    const inspector = await startInspect(['--supervision', '-o', 'json']);

    const events = await eventually('the bus crash and restart', () => {
      const bus = inspector.lines<SupervisionEvent>().filter((e) => e.supervisor === 'root' && e.child === 'bus');
      return Promise.resolve(
        bus.some((e) => e.type === 'crashed') && bus.some((e) => e.type === 'started' && e.restarts >= 1) ? bus : null,
      );
    });
    const code = await inspector.stop();

    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['crashed', 'restarting', 'started']));
    expect(events.find((event) => event.type === 'crashed')).toMatchObject({
      error: { message: expect.stringMatching(/nats-server/) },
    });
    expect(code).toBe(0);
  });

  it('should show the engine leaving connected when dockerd is killed and coming back when it reconnects', async () => {
    await eventually(
      'the App to be settled and connected',
      async () => settledAndConnected(await instance.json<App>(['get'])),
      90_000,
    );
    const inspector = await startInspect(['-o', 'json', 'engine*']);
    const { enginePid } = await instance.json<{ enginePid: number }>(['svc', 'status']);

    process.kill(enginePid, 'SIGKILL');
    const transitions = await eventually(
      'the engine to go down and reconnect',
      () => {
        const seen = inspector.lines<InspectionEvent>().filter((m) => m.actor === 'engine' && m.type === 'transition');
        const down = seen.findIndex((m) => !m.to?.startsWith('connected'));
        return Promise.resolve(
          down >= 0 && seen.slice(down).some((m) => m.to?.startsWith('connected.sync.watching')) ? seen : null,
        );
      },
      90_000,
    );
    const code = await inspector.stop();

    expect(transitions.map((m) => m.to)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(backoff|idle)$/),
        'connecting',
        expect.stringMatching(/^connected\.sync\.watching,/),
      ]),
    );
    expect(inspector.lines<InspectionEvent>().every((m) => m.actor.startsWith('engine'))).toBe(true);
    expect(inspector.lines<InspectionEvent>().every((m) => ['created', 'transition', 'stopped'].includes(m.type))).toBe(
      true,
    );
    expect(code).toBe(0);
  });

  it('should show a container going from running to exited when it is stopped with docker', async () => {
    await eventually(
      'the App to be settled and connected',
      async () => settledAndConnected(await instance.json<App>(['get'])),
      90_000,
    );
    const socket = instance.paths.docker_socket;
    await ensureBusyboxImage(socket);
    const name = `inspected-${process.pid}`;
    const id = await docker(socket, ['run', '-d', '--init', '--name', name, busyboxImage, 'sleep', '3600']);
    const actor = `container:${id.slice(0, 12)}`;
    await eventually('the container to be mirrored as running', async () => {
      const mirrored = await instance.rdd(['ctl', 'get', 'container', id, '-o', 'jsonpath={.status.status}']);
      return mirrored.stdout.trim() === 'running';
    });
    // Run as the README shows: no flags, text output.
    const inspector = await startInspect([]);

    await docker(socket, ['stop', '-t', '1', id]);
    const line = await eventually('the container actor to go from running to exited', () =>
      Promise.resolve(inspector.stdout.split('\n').find((text) => text.includes(actor)) ?? null),
    );
    await docker(socket, ['rm', '-f', id]);

    expect(line).toMatch(new RegExp(`${actor}\\s+running → exited\\s+on observed \\(${name}\\)$`));
    expect(inspector.stdout).not.toContain('xstate.');
  });

  it('should print the path of a traced set through app, vm and engine, and keep stdout unchanged', async () => {
    const result = await instance.rdd(['set', '--trace', 'running=true']);

    const path = /^trace ([0-9a-f]{12}): (.*)$/m.exec(result.stderr);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(path?.[2]?.split(' → ')).toEqual(expect.arrayContaining(['api', 'app', 'vm', 'engine']));
    expect(path?.[2]).toMatch(/^api → app → /);
  });

  it('should keep the daemon and the inspector running when the bus restarts while the lease is held', async () => {
    const daemonPid = readPid(instance.paths.pid_file) as number;
    const inspector = await startInspect(['-o', 'json', '--events', 'app']);
    const serverPid = readPid(instance.paths.nats_pid_file) as number;

    process.kill(serverPid, 'SIGKILL');
    const bus = await eventually(
      'the bus to be restarted again',
      async () => {
        const current = find(await tree(), 'bus');
        return current?.running && (current.restarts ?? 0) >= 2 ? current : null;
      },
      60_000,
    );
    const seenBefore = inspector.lines<InspectionEvent>().length;
    await instance.ok(['set', 'running=true']);
    const spec = await eventually('the restarted App actor to be inspected', () =>
      Promise.resolve(
        inspector
          .lines<InspectionEvent>()
          .slice(seenBefore)
          .find((m) => m.event === 'SPEC'),
      ),
    );

    expect(isAlive(daemonPid)).toBe(true);
    expect(bus.restarts).toBeGreaterThanOrEqual(2);
    expect(spec).toMatchObject({ actor: 'app', type: 'event' });
  });

  it('should record a normal svc stop of every child as a shutdown, none as killed', async () => {
    await instance.ok(['svc', 'stop']);
    await instance.ok(['svc', 'start']);
    // The stream outlives the daemon: the replay holds the stop, followed by the new start.
    const replay = new Background(instance, ['inspect', '--supervision', '--last', '500', '-o', 'json']);
    background.push(replay);
    const events = await eventually('the replay to reach the new start', () => {
      const lines = replay.lines<SupervisionEvent>();
      const restarted = lines.findLastIndex(
        (e) => e.type === 'started' && e.supervisor === 'app' && e.child === 'engine',
      );
      const stopped = lines.findLastIndex((e) => e.type === 'stopped');
      return Promise.resolve(stopped >= 0 && restarted > stopped ? lines : null);
    });
    const lastStopOf = new Map<string, SupervisionEvent>();
    for (const event of events) {
      if (event.type === 'stopped' && ['root', 'app'].includes(event.supervisor))
        lastStopOf.set(`${event.supervisor}/${event.child}`, event);
    }

    expect([...lastStopOf.keys()].sort()).toEqual(
      expect.arrayContaining([
        'app/app',
        'app/engine',
        'app/vm',
        'root/api',
        'root/app',
        'root/inspection',
        'root/store',
      ]),
    );
    expect([...lastStopOf.values()].map((event) => event.type === 'stopped' && event.reason)).toEqual(
      [...lastStopOf.values()].map(() => 'shutdown'),
    );
  });
});
