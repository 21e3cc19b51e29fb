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
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { NatsConnection } from '@nats-io/transport-node';
import Docker from 'dockerode';
import { bridgeName } from '../actors/vm/drivers/bridge.js';
import { ensureBusyboxImage } from '../e2e/drivers/busybox-image.js';
import { describeError } from '../protocol/errors.js';
import { benchGet } from './get.bench.js';
import { benchIdle } from './idle.bench.js';
import { benchLatency } from './latency.bench.js';
import { memoryResult, sampleMemory, type MemorySample } from './memory.bench.js';
import { connectInstanceBus, SyncReports } from './support/bus.js';
import type { BenchContext, BenchResult } from './support/context.js';
import { BenchInstance, findRepoRoot } from './support/instance.js';
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
    if (!allParts.includes(part as Part)) throw new Error(`unknown part "${part}" in --only; ${usage}`);
    only.add(part as Part);
  }
  const count = (text: string, flag: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} wants a positive integer, not "${text}"`);
    return value;
  };
  return {
    only,
    containers: count(values.containers, 'containers'),
    starts: count(values.starts, 'starts'),
    report: !values['no-report'],
  };
}

function progress(line: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
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

/** Bridges and processes of the instance that outlived `svc delete` (a process by its HOME on its command line). */
function leftovers(instance: BenchInstance): { bridge: string | null; pids: number[] } {
  const bridge = bridgeName(instance.paths.dir);
  let links = '';
  try {
    links = execFileSync('ip', ['-br', 'link'], { encoding: 'utf8' });
  } catch {
    // no iproute2: nothing to check
  }
  const pids = fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) return [];
    try {
      return fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(instance.home) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
  return { bridge: links.split('\n').some((line) => line.startsWith(`${bridge} `)) ? bridge : null, pids };
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
  const repoRoot = findRepoRoot();
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'actors', 'daemon', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const machine = await machineInfo();
  const instance = new BenchInstance(`bench-${process.pid}`, repoRoot);
  const results: BenchResult[] = [];
  let failure: unknown;
  const interrupted = (): void => {
    progress('interrupted: deleting the instance…');
    void instance.dispose().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    await measure(instance, options, results);
  } catch (error) {
    failure = error;
  } finally {
    process.off('SIGINT', interrupted);
    progress(`deleting instance ${instance.name}…`);
    const deleted = await instance.dispose().catch((error: unknown) => ({ code: -1, stderr: String(error) }));
    if (deleted.code !== 0) progress(`svc delete exited ${deleted.code}: ${deleted.stderr.trim()}`);
    const left = leftovers(instance);
    if (left.bridge) progress(`bridge ${left.bridge} is still there: remove it with \`ip link delete ${left.bridge}\``);
    if (left.pids.length) progress(`processes of the instance are still running: ${left.pids.join(', ')}`);
    if (!left.bridge && !left.pids.length && deleted.code === 0) progress('cleaned up: no bridge, process or dir left');
  }

  printResults(results);
  const args = process.argv.slice(2).join(' ');
  if (options.report && results.length > 0) {
    const file = path.join(repoRoot, 'docs', 'performance.md');
    await writeReport(file, {
      machine,
      command: `node dist/bench/bench/run.js${args ? ` ${args}` : ''}`,
      results: mergeResults(file, results),
    });
    progress(`wrote ${path.relative(process.cwd(), file) || file}`);
  }
  if (failure) {
    console.error(
      `bench failed: ${failure instanceof Error ? (failure.stack ?? failure.message) : describeError(failure)}`,
    );
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
