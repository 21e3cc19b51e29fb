/**
 * `make bench`: the benchmarks of the mirrors, against one isolated instance made for the run and deleted
 * after it. Prints each measurement beside its target (PASS/MISS) and rewrites docs/performance.md.
 *
 *   node dist/bench/bench/run.js [--only a,b,c,d,e] [--containers 1000] [--starts 200] [--no-report]
 *
 * Order: (c)'s baseline on the fresh daemon, (a) on its own containers (removed after), N containers
 * created, the CLI floor, a daemon restart ((b), and the fresh daemon (c) and (e) read), (c), (e), (d),
 * then the syncs that change the mirrors: resync in place and initial sync ((b)).
 */
import { parseArgs } from 'node:util';
import type { NatsConnection } from '@nats-io/transport-node';
import Docker from 'dockerode';
import { ensureBusyboxImage } from '../e2e/drivers/busybox-image.js';
import { benchGet } from './get.bench.js';
import { benchIdle } from './idle.bench.js';
import { benchLatency } from './latency.bench.js';
import { memoryProbeEnv, memoryResult, sampleMemory, type MemorySample } from './memory.bench.js';
import { connectInstanceBus, SyncReports } from './support/bus.js';
import type { BenchContext, BenchResult } from './support/context.js';
import { countFlag, finish, invocation, progress, runMain, UsageError, withBenchInstance } from './support/entry.js';
import type { BenchInstance } from './support/instance.js';
import { machineInfo } from './support/machine.js';
import { mergeResults, writeReport } from './support/report.js';
import { fixed } from './support/stats.js';
import {
  benchInitialSync,
  benchResync,
  benchRestartSync,
  measureFloor,
  populate,
  restartDaemon,
} from './sync.bench.js';

const allParts = ['a', 'b', 'c', 'd', 'e'] as const;
type Part = (typeof allParts)[number];

interface Options {
  readonly only: ReadonlySet<Part>;
  readonly containers: number;
  readonly starts: number;
  readonly report: boolean;
}

const usage = 'usage: run.js [--only a,b,c,d,e] [--containers N (1000)] [--starts N (200)] [--no-report]';

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', default: allParts.join(',') },
      containers: { type: 'string', default: '1000' },
      starts: { type: 'string', default: '200' },
      'no-report': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const only = new Set<Part>();
  for (const part of values.only.split(',').map((p) => p.trim().toLowerCase())) {
    if (!allParts.includes(part as Part)) throw new UsageError(`unknown part "${part}" in --only; ${usage}`);
    only.add(part as Part);
  }
  return {
    only,
    containers: countFlag(values.containers, 'containers'),
    starts: countFlag(values.starts, 'starts'),
    report: !values['no-report'],
  };
}

function printResults(results: readonly BenchResult[]): void {
  console.log('');
  for (const r of results) {
    const budget = r.budget === null ? '' : `  (${fixed(r.budget * 100, 0)}% of budget)`;
    console.log(`${r.verdict.padEnd(4)}  (${r.part}) ${r.what}`);
    console.log(`      target ${r.target}; measured ${r.measured}${budget}`);
    for (const detail of r.details) console.log(`        ${detail.replace(/`/g, '')}`);
  }
}

async function measure(instance: BenchInstance, options: Options, results: BenchResult[]): Promise<void> {
  const has = (part: Part): boolean => options.only.has(part);
  progress(`starting instance ${instance.name} (HOME ${instance.home})…`);
  await instance.ok(['svc', 'start']);
  await instance.ok(['start']);
  await ensureBusyboxImage(instance.paths.docker_socket);
  let nc: NatsConnection | undefined;
  let reports: SyncReports | undefined;
  try {
    nc = await connectInstanceBus(instance.paths.creds_file, 'rdd-bench');
    reports = new SyncReports(nc, instance.name);
    const context: BenchContext = {
      instance,
      docker: new Docker({ socketPath: instance.paths.docker_socket }),
      nc,
      reports,
      containers: options.containers,
      progress,
    };
    let base: MemorySample | undefined;
    if (has('c')) base = await sampleMemory(context, 0);
    if (has('a')) results.push(...(await benchLatency(context, options.starts)));
    if (!['b', 'c', 'd', 'e'].some((part) => has(part as Part))) return;

    await populate(context);
    const floor = has('b') ? await measureFloor(context) : undefined;
    if (floor) results.push(await benchRestartSync(context, floor));
    else if (has('c') || has('e')) {
      progress('restarting the daemon, so memory and CPU are read from a fresh one…');
      await restartDaemon(instance);
    }
    if (base) results.push(memoryResult(base, await sampleMemory(context, options.containers)));
    if (has('e')) results.push(await benchIdle(context));
    if (has('d')) results.push(await benchGet(context));
    if (floor) {
      results.push(await benchResync(context, floor));
      results.push(await benchInitialSync(context, floor));
    }
  } finally {
    reports?.stop();
    await nc?.close().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const machine = await machineInfo();
  const results: BenchResult[] = [];
  const extraEnv = options.only.has('c') ? memoryProbeEnv : {};
  const { failure } = await withBenchInstance(extraEnv, (instance) => measure(instance, options, results));

  printResults(results);
  const write =
    options.report && results.length > 0
      ? (file: string) =>
          writeReport(file, { machine, command: invocation('run.js'), results: mergeResults(file, results) })
      : undefined;
  return finish(failure, write);
}

runMain(main);
