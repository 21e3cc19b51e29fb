/**
 * (c) Resident memory per mirror: the daemon's VmRSS with about no containers and with N mirrored ones,
 * each read from a freshly started daemon once it has been idle for a while (V8 gets its chance to
 * collect; the daemon exposes no way to force a GC), then (delta / N).
 */
import type { BenchContext, BenchResult } from './support/context.js';
import { statusKiB, waitForIdle } from './support/proc.js';
import { atMost, fixed, median, repeat, sleep } from './support/stats.js';

const targetKiB = 10;

export interface MemorySample {
  readonly containers: number;
  readonly daemonKiB: number;
  /** The anonymous part of the daemon's RSS (V8 heap, buffers), without the mapped node binary and libraries. */
  readonly daemonAnonKiB: number;
  readonly natsKiB: number | null;
  /** How long the daemon took to become idle (at most 2 ticks of CPU in 2 s) before the reading. */
  readonly idleAfterMs: number;
  readonly idle: boolean;
}

/** The median of 5 readings 1 s apart, after at least 10 s and an idle daemon. */
export async function sampleMemory(context: BenchContext, containers: number): Promise<MemorySample> {
  const { instance, progress } = context;
  const { pid } = await instance.status();
  if (pid === null) throw new Error('the daemon is not running');
  progress(`(c) waiting for the daemon to idle, then reading its RSS with ${containers} containers…`);
  const idle = await waitForIdle([pid], { minMs: 10_000 });
  const natsPid = instance.natsPid();
  const readings = await repeat(5, async () => {
    const reading = {
      daemon: statusKiB(pid),
      anon: statusKiB(pid, 'RssAnon'),
      nats: natsPid === null ? null : statusKiB(natsPid),
    };
    await sleep(1_000);
    return reading;
  });
  return {
    containers,
    daemonKiB: median(readings.map((r) => r.daemon)),
    daemonAnonKiB: median(readings.map((r) => r.anon)),
    natsKiB: natsPid === null ? null : median(readings.map((r) => r.nats ?? 0)),
    idleAfterMs: idle.ms,
    idle: idle.idle,
  };
}

export function memoryResult(base: MemorySample, loaded: MemorySample): BenchResult {
  const mirrors = loaded.containers - base.containers;
  const perMirror = (loaded.daemonKiB - base.daemonKiB) / mirrors;
  const mib = (kib: number | null): string => (kib === null ? '–' : `${fixed(kib / 1024)} MiB`);
  const natsDelta = base.natsKiB === null || loaded.natsKiB === null ? null : (loaded.natsKiB - base.natsKiB) / mirrors;
  return {
    id: 'c',
    part: 'c',
    what: 'Daemon resident memory per mirrored container',
    target: `≤ ${targetKiB} KiB per mirror`,
    measured: `${fixed(perMirror)} KiB per mirror`,
    budget: perMirror / targetKiB,
    verdict: atMost(perMirror, targetKiB),
    details: [
      `daemon VmRSS ${mib(base.daemonKiB)} with ${base.containers} containers, ${mib(loaded.daemonKiB)} with ` +
        `${loaded.containers} (both a freshly started daemon, median of 5 readings once idle; idle after ` +
        `${fixed(base.idleAfterMs / 1000)} s and ${fixed(loaded.idleAfterMs / 1000)} s${base.idle && loaded.idle ? '' : ', NOT idle within 2 min'})`,
      `of which anonymous (RssAnon: V8 heap, buffers) ${mib(base.daemonAnonKiB)} → ${mib(loaded.daemonAnonKiB)}: ` +
        `${fixed((loaded.daemonAnonKiB - base.daemonAnonKiB) / mirrors)} KiB per mirror; the rest is the node binary ` +
        'and libraries paged in',
      `for scale, nats-server VmRSS ${mib(base.natsKiB)} → ${mib(loaded.natsKiB)} (${fixed(natsDelta)} KiB per mirror)`,
    ],
    date: new Date().toISOString(),
  };
}
