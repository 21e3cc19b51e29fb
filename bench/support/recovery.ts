/**
 * What "recovered" means to the recovery bench, read as any client would: the App resource from the
 * store (Settled=True and ContainerEngineReady=True), the Container mirrors against the engine's own
 * list (`docker ps -a`, through the API), and what of the engine outlived a fault (dockerd's pid, each
 * running container's StartedAt).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type Docker from 'dockerode';
import { appKind, appName, type App } from '../../protocol/app.schema.js';
import { findCondition } from '../../protocol/condition.schema.js';
import { describeError } from '../../protocol/errors.js';
import type { SyncReport } from '../../protocol/mirrors/commands.schema.js';
import { containerKind, type Container } from '../../protocol/mirrors/container.schema.js';
import { ResourceStore } from '../../client/store.js';
import { syncReportFromLog, type BenchInstance } from './instance.js';
import { sleep } from './stats.js';

/** The conditions that must both be True again. */
const readyConditions = ['Settled', 'ContainerEngineReady'] as const;

/** How often the App is read while waiting; a brief dip between two reads goes unseen. */
export const pollMs = 100;

/**
 * A read the bus has not answered by then is taken as failed and the next one sent: a request caught by
 * a nats-server's death waits out the client's own timeout (seconds), which would count as outage.
 */
const readTimeoutMs = 1_000;

function within<T>(read: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
    read.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(describeError(error)));
      },
    );
  });
}

/** A dip of its own: the App could not be read (the bus is down or restarting). */
export const unreadable = 'App unreadable';

/** The App's ready conditions as `Settled=False/EngineStale`, or why they could not be read. */
export async function readiness(store: ResourceStore): Promise<{ ready: boolean; seen: string[] }> {
  const app = await store.get<App>(appKind, appName);
  if (!app) return { ready: false, seen: ['no App resource'] };
  const seen = readyConditions.map((type) => {
    const condition = findCondition(app.status.conditions, type);
    return condition ? `${type}=${condition.status}/${condition.reason}` : `${type} missing`;
  });
  return { ready: seen.every((text) => text.includes('=True/')), seen };
}

/** `''` when every container of the engine has a mirror with its state and no mirror is left over; else the first differences. */
export async function mirrorDifference(store: ResourceStore, docker: Docker): Promise<string> {
  const [mirrors, engine] = await Promise.all([
    store.list<Container>(containerKind),
    docker.listContainers({ all: true }),
  ]);
  const mirrored = new Map(mirrors.map((mirror) => [mirror.metadata.name, mirror.status?.status ?? 'no status']));
  const differences = engine.flatMap(({ Id, State }) => {
    const state = mirrored.get(Id);
    mirrored.delete(Id);
    if (state === undefined) return [`${Id.slice(0, 12)} has no mirror`];
    return state === State ? [] : [`${Id.slice(0, 12)} is ${State}, its mirror says ${state}`];
  });
  differences.push(...[...mirrored.keys()].map((id) => `mirror ${id.slice(0, 12)} has no container`));
  if (differences.length === 0) return '';
  return `${differences.length} differ (${differences.slice(0, 3).join('; ')}${differences.length > 3 ? '; …' : ''})`;
}

export interface Recovery {
  /** From the fault to the first read that found everything recovered. */
  readonly ms: number;
  /** Each non-True state of the ready conditions read on the way, in the order first read. */
  readonly dips: readonly string[];
}

/**
 * A recovery counts once it holds this long: a restarted actor may leave the App's old Settled=True in
 * the store for a moment before it reports again, and that first read must not pass for the recovery.
 */
export const stableMs = 3_000;

/**
 * Reads the App every {@link pollMs} from `since` until `happened` has resolved (the fault was seen to
 * take effect: a fault that did not happen measures nothing) and the App has been ready, with the mirrors
 * equal to the engine's list, at every read for {@link stableMs}; the recovery is the first of those
 * reads. Errors while the bus or the engine is down are part of the outage.
 */
export async function awaitRecovery(
  nc: NatsConnection,
  instance: string,
  docker: Docker,
  since: number,
  happened: Promise<unknown>,
  timeoutMs: number,
): Promise<Recovery> {
  let faultSeen = false;
  let faultError: unknown;
  void happened.then(
    () => (faultSeen = true),
    (error: unknown) => (faultError = error ?? new Error('the fault was not seen')),
  );
  const dips: string[] = [];
  let store: ResourceStore | undefined;
  let lastState = 'nothing read yet';
  let readySince: number | null = null;
  while (Date.now() - since < timeoutMs) {
    if (faultError) throw faultError instanceof Error ? faultError : new Error(describeError(faultError));
    const readAt = Date.now();
    try {
      store ??= await within(ResourceStore.open(nc, instance), readTimeoutMs, 'opening the store');
      const { ready, seen } = await within(readiness(store), readTimeoutMs, 'reading the App');
      for (const text of seen) if (!text.includes('=True/') && !dips.includes(text)) dips.push(text);
      lastState = seen.join(', ');
      const difference = ready && faultSeen ? await mirrorDifference(store, docker) : 'not ready';
      if (difference === '') readySince ??= readAt;
      else readySince = null;
      if (difference !== '' && difference !== 'not ready') lastState = `mirrors: ${difference}`;
    } catch (error) {
      lastState = `read failed: ${describeError(error)}`;
      if (!dips.includes(unreadable)) dips.push(unreadable);
      store = undefined;
      readySince = null;
    }
    if (readySince !== null && Date.now() - readySince >= stableMs) return { ms: readySince - since, dips };
    await sleep(pollMs);
  }
  throw new Error(
    `not recovered ${timeoutMs / 1000} s after the fault (${faultSeen ? 'fault seen' : 'fault not seen yet'}; last: ${lastState})`,
  );
}

/** The first connect or reconnect sync the daemon logged at or after `since`, once it has logged one. */
export async function resynced(instance: BenchInstance, since: number, timeoutMs = 120_000): Promise<SyncReport> {
  for (;;) {
    const report = syncReportFromLog(instance, since, ['connect', 'reconnect']);
    if (report) return report;
    if (Date.now() - since > timeoutMs) throw new Error(`no connect or reconnect sync within ${timeoutMs / 1000} s`);
    await sleep(pollMs);
  }
}

/** What must outlive any fault inside rdd: the engine process and the processes of its containers. */
export interface EngineSnapshot {
  readonly dockerdPid: number | null;
  /** StartedAt of every running or paused container, by ID. */
  readonly startedAt: ReadonlyMap<string, string>;
}

export async function snapshotEngine(instance: BenchInstance, docker: Docker): Promise<EngineSnapshot> {
  const live = await docker.listContainers({ all: true, filters: { status: ['running', 'paused'] } });
  const inspected = await Promise.all(live.map(({ Id }) => docker.getContainer(Id).inspect()));
  return {
    dockerdPid: (await instance.status()).enginePid,
    startedAt: new Map(inspected.map((container) => [container.Id, container.State.StartedAt])),
  };
}

/** `kept` or `LOST (…)` for dockerd's pid and for the containers' StartedAt, before vs after a fault. */
export async function survival(
  before: EngineSnapshot,
  instance: BenchInstance,
  docker: Docker,
): Promise<{ dockerd: string; containers: string }> {
  const after = await snapshotEngine(instance, docker);
  const dockerd =
    before.dockerdPid !== null && before.dockerdPid === after.dockerdPid
      ? 'kept'
      : `LOST (${before.dockerdPid ?? '?'} → ${after.dockerdPid ?? '?'})`;
  const lost = [...before.startedAt].filter(([id, startedAt]) => after.startedAt.get(id) !== startedAt);
  const containers =
    lost.length === 0
      ? `kept (${before.startedAt.size})`
      : `LOST (${lost.length} of ${before.startedAt.size} restarted or stopped)`;
  return { dockerd, containers };
}
