/**
 * (b) Full sync of N containers against the CLI floor (`docker ps -a` plus one batch `docker inspect` of
 * every id), and the steps that put N mirrors in place for the other parts. The sync's own duration is
 * the `durationMs` of its SyncReport on `rdd.<instance>.engine.drift` (or, when the bench's client was
 * still reconnecting after a daemon restart, of the daemon's "… sync in N ms" log line).
 */
import type { SyncReport, SyncTrigger } from '../protocol/mirrors/commands.schema.js';
import { ContainerMirrors } from './support/bus.js';
import type { BenchContext, BenchResult } from './support/context.js';
import { createSleepers } from './support/engine.js';
import { syncReportFromLog, type BenchInstance, type CliRun } from './support/instance.js';
import { atMost, fixed, mapLimited, median, repeat } from './support/stats.js';

const targetRatio = 1.5;
const floorRuns = 5;

export interface Population {
  readonly ids: readonly string[];
  readonly createMs: number;
  /** From the first create until the KV watcher had a mirror of every container. */
  readonly mirroredMs: number;
}

/** Creates `context.containers` containers (created state, 8 creates in flight) and waits for their mirrors. */
export async function populate(context: BenchContext): Promise<Population> {
  const { docker, nc, instance, containers, progress } = context;
  const names = Array.from({ length: containers }, (_, i) => `bench-${i}`);
  const mirrors = await ContainerMirrors.watch(nc, instance.name);
  try {
    progress(`creating ${containers} containers…`);
    const started = performance.now();
    const ids = await createSleepers(docker, names, 8);
    const createMs = performance.now() - started;
    await mirrors.until(`${containers} mirrors`, () => ids.every((id) => mirrors.statuses.has(id)), 600_000);
    const mirroredMs = performance.now() - started;
    progress(
      `created ${containers} containers in ${fixed(createMs / 1000)} s; all mirrored after ${fixed(mirroredMs / 1000)} s`,
    );
    return { ids, createMs, mirroredMs };
  } finally {
    await mirrors.stop();
  }
}

export interface Floor {
  /** Median of `docker ps -a -q --no-trunc` + `docker inspect <every id>`, run back to back. */
  readonly cliMs: number;
  readonly psMs: number;
  readonly inspectMs: number;
  /** The same through the API (dockerode: list, then one inspect per container, 16 in flight). */
  readonly apiMs: number;
}

export async function measureFloor(context: BenchContext): Promise<Floor> {
  const { instance, docker, progress } = context;
  progress(`(b) CLI floor: docker ps -a + docker inspect <all>, ${floorRuns} runs…`);
  const cli = await repeat(floorRuns, async () => {
    const ps = await instance.docker(['ps', '-a', '-q', '--no-trunc']);
    const ids = ps.stdout.split('\n').filter(Boolean);
    const inspect = await instance.docker(['inspect', ...ids]);
    return { ps: ps.ms, inspect: inspect.ms, total: ps.ms + inspect.ms };
  });
  const api = await repeat(3, async () => {
    const started = performance.now();
    const listed = await docker.listContainers({ all: true });
    await mapLimited(listed, 16, ({ Id }) => docker.getContainer(Id).inspect());
    return performance.now() - started;
  });
  return {
    cliMs: median(cli.map((run) => run.total)),
    psMs: median(cli.map((run) => run.ps)),
    inspectMs: median(cli.map((run) => run.inspect)),
    apiMs: median(api),
  };
}

const connectTriggers: readonly SyncTrigger[] = ['connect', 'reconnect'];

/** "Removed N mirrors: the engine is no longer mirrored", logged by a sweep since `since`. */
function sweptSince(instance: BenchInstance, since: number): number {
  return instance
    .logSince(since)
    .map(({ message }) => Number(/^Removed (\d+) mirrors/.exec(message)?.[1] ?? 0))
    .reduce((sum, count) => sum + count, 0);
}

async function awaitSync(
  context: BenchContext,
  since: number,
  triggers: readonly SyncTrigger[],
  what: string,
): Promise<{ report: SyncReport; source: string }> {
  const fromBus = await context.reports.next(since, (report) => triggers.includes(report.trigger), 15_000);
  if (fromBus) return { report: fromBus, source: 'engine.drift' };
  const fromLog = syncReportFromLog(context.instance, since, triggers);
  if (fromLog) return { report: fromLog, source: 'daemon log' };
  throw new Error(`no ${triggers.join('/')} SyncReport after ${what}`);
}

function describeReport(report: SyncReport, source: string): string {
  return (
    `${report.trigger} sync ${report.durationMs} ms (from ${source}): ${report.created} created, ` +
    `${report.updated} updated, ${report.removed} removed, ${report.failed} failed`
  );
}

function floorDetail(floor: Floor): string {
  return (
    `CLI floor ${fixed(floor.cliMs, 0)} ms (median of ${floorRuns}: \`docker ps -a -q --no-trunc\` ${fixed(floor.psMs, 0)} ms + ` +
    `one \`docker inspect\` of every id ${fixed(floor.inspectMs, 0)} ms); through the API with dockerode ` +
    `(list + inspects, 16 in flight) ${fixed(floor.apiMs, 0)} ms`
  );
}

function syncResult(
  id: string,
  what: string,
  report: SyncReport,
  floor: Floor,
  details: readonly string[],
): BenchResult {
  const ratio = report.durationMs / floor.cliMs;
  return {
    id,
    part: 'b',
    what,
    target: `≤ ${targetRatio}× CLI floor`,
    measured: `${report.durationMs} ms vs ${fixed(floor.cliMs, 0)} ms = ${fixed(ratio, 2)}×`,
    budget: ratio / targetRatio,
    verdict: atMost(ratio, targetRatio),
    details: [...details, floorDetail(floor)],
    date: new Date().toISOString(),
  };
}

/** `rdd svc stop`, `rdd svc start`, then `rdd start` (which waits until the App has settled). */
export async function restartDaemon(instance: BenchInstance): Promise<Record<'stop' | 'start' | 'settle', CliRun>> {
  const stop = await instance.ok(['svc', 'stop', '--timeout', '2m']);
  const start = await instance.ok(['svc', 'start']);
  const settle = await instance.ok(['start']);
  return { stop, start, settle };
}

/**
 * The restart of {@link restartDaemon}: a new daemon finds N mirrors in the store and the engine
 * (restarted by the daemon: svc stop stops the dockerd it started) with N containers.
 */
export async function benchRestartSync(context: BenchContext, floor: Floor): Promise<BenchResult> {
  const { instance, containers, progress } = context;
  progress('(b) restarting the daemon (svc stop, svc start, start)…');
  const since = Date.now();
  const { stop, start, settle } = await restartDaemon(instance);
  const { report, source } = await awaitSync(context, since, connectTriggers, 'the daemon restart');
  const swept = sweptSince(instance, since);
  const details = [
    `${containers} containers (created state) with their mirrors in the store; \`svc stop\` ${fixed(stop.ms / 1000, 2)} s, ` +
      `\`svc start\` ${fixed(start.ms / 1000, 2)} s, then \`rdd start\` (until Settled) ${fixed(settle.ms / 1000, 2)} s`,
    describeReport(report, source),
  ];
  if (swept > 0) {
    details.push(
      `the new daemon removed ${swept} mirrors before it connected ("Removed ${swept} mirrors: the engine is no longer ` +
        'mirrored") and the sync re-created them: a restart costs a full initial sync, and watchers see every ' +
        'mirror DELETED then ADDED',
    );
  }
  return syncResult('b-restart', 'Sync after a daemon restart', report, floor, details);
}

/**
 * Syncs with every mirror already in place and nothing changed: `rdd set containerEngine.mirrorImages=…`
 * makes the live session resync (all kinds) before it answers. Two rounds of false/true.
 */
export async function benchResync(context: BenchContext, floor: Floor): Promise<BenchResult> {
  const { instance, progress } = context;
  progress('(b) resync with every mirror in place (mirrorImages false/true, twice)…');
  const found: SyncReport[] = [];
  for (const value of ['false', 'true', 'false', 'true']) {
    const since = Date.now();
    await instance.ok(['set', `containerEngine.mirrorImages=${value}`]);
    found.push((await awaitSync(context, since, ['mirrorImages'], `mirrorImages=${value}`)).report);
  }
  const durations = found.map((report) => report.durationMs);
  const report = { ...found[0]!, durationMs: median(durations) };
  return syncResult('b-resync', 'Resync, every mirror already in place', report, floor, [
    `median of ${found.length} \`mirrorImages\` resyncs: ${durations.join(', ')} ms; created/updated/removed ` +
      `(images included): ${found.map((r) => `${r.created}/${r.updated}/${r.removed}`).join(', ')}`,
  ]);
}

/** `rdd stop` (the mirrors are swept) then `rdd start`: the engine's N containers meet an empty store. */
export async function benchInitialSync(context: BenchContext, floor: Floor): Promise<BenchResult> {
  const { instance, containers, progress } = context;
  progress('(b) initial sync: rdd stop (sweeps the mirrors), rdd start…');
  const stopSince = Date.now();
  const stop = await instance.ok(['stop']);
  const swept = sweptSince(instance, stopSince);
  const since = Date.now();
  const start = await instance.ok(['start']);
  const { report, source } = await awaitSync(context, since, connectTriggers, 'rdd start');
  return syncResult('b-initial', 'Initial sync, no mirrors in the store', report, floor, [
    `\`rdd stop\` ${fixed(stop.ms / 1000, 2)} s (removed ${swept} mirrors), \`rdd start\` with ${containers} containers ` +
      `(dockerd start + sync, until Settled) ${fixed(start.ms / 1000, 2)} s`,
    describeReport(report, source),
  ]);
}
