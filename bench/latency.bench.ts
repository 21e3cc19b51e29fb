/**
 * (a) Extra latency of the mirrors: for each start of a pre-created container, when a plain `docker
 * events` subscriber sees `start` and when a KV watcher sees the mirror's `status.status` become
 * `running`, both in this process on one clock. extra = KV arrival − events arrival.
 */
import { ContainerMirrors } from './support/bus.js';
import type { BenchContext, BenchResult } from './support/context.js';
import { createSleepers, removeBenchContainers, subscribeContainerEvents } from './support/engine.js';
import { atMost, fixed, percentile } from './support/stats.js';

const targetP99Ms = 20;
/** Starts before the measured ones, so JIT and first-connection costs are not counted. */
const warmups = 5;
const perStartTimeoutMs = 15_000;

interface Sample {
  /** KV watch arrival − docker events arrival. */
  extraMs: number;
  /** docker events arrival − the start call. */
  eventMs: number;
}

export async function benchLatency(context: BenchContext, starts: number): Promise<BenchResult[]> {
  const { docker, nc, instance, progress } = context;
  const names = Array.from({ length: starts + warmups }, (_, i) => `bench-start-${i}`);
  progress(`(a) creating ${names.length} containers to start…`);
  const ids = await createSleepers(docker, names);
  const mirrors = await ContainerMirrors.watch(nc, instance.name);
  await mirrors.until(
    'the mirrors of the containers to start',
    () => ids.every((id) => mirrors.statuses.has(id)),
    120_000,
  );

  const eventAt = new Map<string, number>();
  const mirrorAt = new Map<string, number>();
  let notify: (() => void) | undefined;
  const unsubscribe = await subscribeContainerEvents(docker, (event, arrivedAt) => {
    const id = event.Actor?.ID;
    if (event.Action === 'start' && id && !eventAt.has(id)) eventAt.set(id, arrivedAt);
    notify?.();
  });
  mirrors.onChange = (id, status, arrivedAt) => {
    if (status === 'running' && !mirrorAt.has(id)) mirrorAt.set(id, arrivedAt);
    notify?.();
  };

  const samples: Sample[] = [];
  let missed = 0;
  try {
    progress(`(a) starting ${starts} containers one after another (after ${warmups} warm-ups)…`);
    for (const [index, id] of ids.entries()) {
      const seen = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), perStartTimeoutMs);
        notify = () => {
          if (!eventAt.has(id) || !mirrorAt.has(id)) return;
          clearTimeout(timer);
          resolve(true);
        };
      });
      const calledAt = performance.now();
      await docker.getContainer(id).start();
      notify?.();
      if (!(await seen)) missed += 1;
      else if (index >= warmups) {
        samples.push({ extraMs: mirrorAt.get(id)! - eventAt.get(id)!, eventMs: eventAt.get(id)! - calledAt });
      }
    }
  } finally {
    notify = undefined;
    unsubscribe();
    await mirrors.stop();
    progress('(a) removing the started containers…');
    await removeBenchContainers(docker);
  }

  const extra = samples.map((sample) => sample.extraMs);
  const p50 = percentile(extra, 50);
  const p99 = percentile(extra, 99);
  const result: BenchResult = {
    id: 'a',
    part: 'a',
    what: 'Extra latency, engine event → KV watcher sees the mirror running',
    target: `p99 extra ≤ ${targetP99Ms} ms`,
    measured: `p50 ${fixed(p50)} ms, p99 ${fixed(p99)} ms`,
    budget: samples.length ? p99 / targetP99Ms : null,
    verdict: missed > 0 ? 'MISS' : atMost(samples.length ? p99 : null, targetP99Ms),
    details: [
      `${samples.length} starts of pre-created busybox \`sleep 3600\` containers (HostConfig.Init), one at a time, ` +
        `after ${warmups} warm-ups; ${missed} not seen by both subscribers within ${perStartTimeoutMs / 1000} s`,
      `extra (KV watch − docker events): p50 ${fixed(p50)} ms, p90 ${fixed(percentile(extra, 90))} ms, ` +
        `p99 ${fixed(p99)} ms, max ${fixed(percentile(extra, 100))} ms, min ${fixed(percentile(extra, 0))} ms`,
      `for scale, start call → docker events arrival: p50 ${fixed(
        percentile(
          samples.map((s) => s.eventMs),
          50,
        ),
      )} ms`,
    ],
    date: new Date().toISOString(),
  };
  return [result];
}
