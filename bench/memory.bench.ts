/**
 * (c) Memory per mirror: the daemon with about no containers and with N mirrored ones, each read from a
 * freshly started daemon once it has been idle for a while, right after a full garbage collection the
 * daemon runs on request (`rdd.<instance>.debug.memory`, only under RDD_FAULT_INJECTION=1), then
 * (delta / N). Without the GC, whether V8 has yet shrunk a young generation grown by the start-up and the
 * sync (up to 32 MiB) decides the result, not what the mirrors hold.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { MemoryAfterGc } from '../actors/daemon/fault-injection.child.js';
import { memoryProbeSubject } from '../protocol/subjects.js';
import { connectInstanceBus } from './support/bus.js';
import type { BenchContext, BenchResult } from './support/context.js';
import { statusKiB, waitForIdle } from './support/proc.js';
import { atMost, fixed, median, repeat, sleep } from './support/stats.js';

const targetKiB = 10;

/** What part (c) needs of the daemon: the memory probe listens only with fault injection on. */
export const memoryProbeEnv: NodeJS.ProcessEnv = { RDD_FAULT_INJECTION: '1' };

export interface MemorySample {
  readonly containers: number;
  /** VmRSS after a full GC. */
  readonly daemonKiB: number;
  /** The anonymous part of the daemon's RSS (V8 heap, buffers), without the mapped node binary and libraries. */
  readonly daemonAnonKiB: number;
  /** V8's heap in use after a full GC: the live JS objects. */
  readonly heapUsedKiB: number;
  readonly heapTotalKiB: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers, ArrayBuffers), after the GC. */
  readonly externalKiB: number;
  readonly natsKiB: number | null;
  /** How long the daemon took to become idle (at most 2 ticks of CPU in 2 s) before the reading. */
  readonly idleAfterMs: number;
  readonly idle: boolean;
}

async function memoryAfterGc(nc: NatsConnection, instance: string): Promise<MemoryAfterGc> {
  const reply = await nc.request(memoryProbeSubject(instance), '{}', { timeout: 10_000 });
  return reply.json<MemoryAfterGc>();
}

/** The median of 5 readings 1 s apart, each right after a full GC, after at least 10 s and an idle daemon. */
export async function sampleMemory(context: BenchContext, containers: number): Promise<MemorySample> {
  const { instance, progress } = context;
  const { pid } = await instance.status();
  if (pid === null) throw new Error('the daemon is not running');
  progress(
    `(c) waiting for the daemon to idle, then reading its memory after a full GC with ${containers} containers…`,
  );
  const idle = await waitForIdle([pid], { minMs: 10_000 });
  const natsPid = instance.natsPid();
  // Debug requests are the daemon's own: the bench's user connection may not send them.
  const nc = await connectInstanceBus(instance.paths.daemon_creds_file, 'rdd-bench-memory');
  const readings = await repeat(5, async () => {
    const heap = await memoryAfterGc(nc, instance.name);
    const reading = {
      daemon: statusKiB(pid),
      anon: statusKiB(pid, 'RssAnon'),
      heapUsed: heap.heapUsed / 1024,
      heapTotal: heap.heapTotal / 1024,
      external: heap.external / 1024,
      nats: natsPid === null ? null : statusKiB(natsPid),
    };
    await sleep(1_000);
    return reading;
  }).finally(() => nc.close());
  return {
    containers,
    daemonKiB: median(readings.map((r) => r.daemon)),
    daemonAnonKiB: median(readings.map((r) => r.anon)),
    heapUsedKiB: median(readings.map((r) => r.heapUsed)),
    heapTotalKiB: median(readings.map((r) => r.heapTotal)),
    externalKiB: median(readings.map((r) => r.external)),
    natsKiB: natsPid === null ? null : median(readings.map((r) => r.nats ?? 0)),
    idleAfterMs: idle.ms,
    idle: idle.idle,
  };
}

export function memoryResult(base: MemorySample, loaded: MemorySample): BenchResult {
  const mirrors = loaded.containers - base.containers;
  const perMirror = (from: number, to: number): number => (to - from) / mirrors;
  const rssPerMirror = perMirror(base.daemonKiB, loaded.daemonKiB);
  const heapPerMirror = perMirror(base.heapUsedKiB, loaded.heapUsedKiB);
  const mib = (kib: number | null): string => (kib === null ? '–' : `${fixed(kib / 1024)} MiB`);
  const natsDelta = base.natsKiB === null || loaded.natsKiB === null ? null : perMirror(base.natsKiB, loaded.natsKiB);
  return {
    id: 'c',
    part: 'c',
    what: 'Daemon memory per mirrored container, after a full GC',
    target: `≤ ${targetKiB} KiB per mirror`,
    measured: `RSS ${fixed(rssPerMirror)} KiB, V8 heap used ${fixed(heapPerMirror)} KiB per mirror`,
    budget: Math.max(rssPerMirror, heapPerMirror) / targetKiB,
    verdict: atMost(Math.max(rssPerMirror, heapPerMirror), targetKiB),
    details: [
      'method: a freshly started daemon (RDD_FAULT_INJECTION=1 for its `debug.memory` request) idle for at least ' +
        '10 s; then 5 readings 1 s apart, each right after a full GC the daemon runs on request; the medians with ' +
        `${base.containers} and with ${loaded.containers} containers, the difference over ${mirrors}. The verdict ` +
        'takes the larger of RSS and heap used per mirror',
      `V8 heap used ${mib(base.heapUsedKiB)} → ${mib(loaded.heapUsedKiB)}: ${fixed(heapPerMirror)} KiB per mirror ` +
        `(the live JS objects; heap reserved ${mib(base.heapTotalKiB)} → ${mib(loaded.heapTotalKiB)})`,
      `daemon VmRSS ${mib(base.daemonKiB)} → ${mib(loaded.daemonKiB)}: ${fixed(rssPerMirror)} KiB per mirror (idle ` +
        `after ${fixed(base.idleAfterMs / 1000)} s and ${fixed(loaded.idleAfterMs / 1000)} s` +
        `${base.idle && loaded.idle ? '' : ', NOT idle within 2 min'})`,
      `of which anonymous (RssAnon: V8 heap, buffers) ${mib(base.daemonAnonKiB)} → ${mib(loaded.daemonAnonKiB)}: ` +
        `${fixed(perMirror(base.daemonAnonKiB, loaded.daemonAnonKiB))} KiB per mirror; the rest is the node binary ` +
        `and libraries paged in. Outside the heap V8 reserved, V8's external memory ${mib(base.externalKiB)} → ` +
        `${mib(loaded.externalKiB)}; what remains is native memory the allocator kept after the sync`,
      `for scale, nats-server VmRSS ${mib(base.natsKiB)} → ${mib(loaded.natsKiB)} (${fixed(natsDelta)} KiB per mirror)`,
    ],
    date: new Date().toISOString(),
  };
}
