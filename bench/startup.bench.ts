/**
 * `make bench-startup`: how fast the CLI starts and answers, as ratios against a peer measured in the same
 * run (issue 13), so a slower or busier machine moves both sides: `rdd version` and `rdd --help` against
 * `node -e 0`; `rdd get -o json`, `rdd ctl get containers -o json` with a few mirrors and a `rdd set` that
 * changes nothing against `node -e 0`; `rdd ctl get containers -o json` with many mirrors against
 * `docker ps -a --format json` on the instance's own dockerd. Each command is a fresh process with stdin
 * closed, run alternately with its peer; the ratio is of the medians. Reported, never asserted.
 *
 *   node dist/bench/bench/startup.bench.js [--runs 15] [--few 10] [--containers 1000] [--no-report]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import Docker from 'dockerode';
import { ensureBusyboxImage } from '../e2e/drivers/busybox-image.js';
import { createSleepers } from './support/engine.js';
import { countFlag, finish, invocation, progress, runMain, UsageError, withBenchInstance } from './support/entry.js';
import { run, type BenchInstance, type CliRun } from './support/instance.js';
import { machineInfo } from './support/machine.js';
import { writeSection } from './support/report.js';
import { atMost, fixed, median, sleep } from './support/stats.js';
import { startupReportLines, type StartupRow } from './support/startup-report.js';

interface Options {
  readonly runs: number;
  readonly few: number;
  readonly containers: number;
  readonly report: boolean;
}

const usage = 'usage: startup.bench.js [--runs N (15)] [--few N (10)] [--containers N (1000)] [--no-report]';

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '15' },
      few: { type: 'string', default: '10' },
      containers: { type: 'string', default: '1000' },
      'no-report': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const options = {
    runs: countFlag(values.runs, 'runs'),
    few: countFlag(values.few, 'few'),
    containers: countFlag(values.containers, 'containers'),
    report: !values['no-report'],
  };
  if (options.containers < options.few) {
    throw new UsageError(`--containers (${options.containers}) must be at least --few (${options.few}); ${usage}`);
  }
  return options;
}

/** One side of a comparison: a program run as a fresh process, failing the bench unless it exits 0. */
interface Side {
  readonly label: string;
  readonly run: () => Promise<CliRun>;
  /** For rdd: the same run with node's module trace on, to say which packages it loads. */
  readonly traced?: () => Promise<CliRun>;
}

/** The packages a traced run loaded, most files first: `zod (95), @oclif/core (65), …`; 'none' when none. */
async function loadedPackages(side: Side): Promise<string | null> {
  if (!side.traced) return null;
  const { stderr } = await side.traced();
  const files = new Map<string, number>();
  for (const match of stderr.matchAll(/load "[^"]*node_modules\/((?:@[^/]+\/)?[^/"]+)/g)) {
    files.set(match[1]!, (files.get(match[1]!) ?? 0) + 1);
  }
  const bundled = stderr.includes('load-bundle.js') ? 'the CLI bundle (dist/cli/rdd-cli.js, its code cache) and ' : '';
  if (files.size === 0) return `${bundled}no file from node_modules, node built-ins and rdd’s own files only`;
  const ranked = [...files].sort((a, b) => b[1] - a[1]);
  const shown = ranked.slice(0, 8).map(([name, count]) => `${name} (${count})`);
  return `${bundled}${ranked.length} packages, ${[...files.values()].reduce((a, b) => a + b, 0)} files: ${shown.join(', ')}${ranked.length > 8 ? ', …' : ''}`;
}

async function ok(side: Side): Promise<CliRun> {
  const result = await side.run();
  if (result.code !== 0) {
    throw new Error(`${side.label} exited ${result.code}: ${(result.stderr + result.stdout).trim().slice(0, 500)}`);
  }
  return result;
}

/** Both sides `runs` times, alternating (and once each beforehand, untimed, to warm the page cache). */
async function compare(
  what: string,
  subject: Side,
  peer: Side,
  limit: number,
  runs: number,
  check?: (output: string) => string | null,
): Promise<StartupRow> {
  progress(`${what}: ${runs} runs each of ${subject.label} and ${peer.label}…`);
  const warm = await ok(subject);
  await ok(peer);
  const problem = check?.(warm.stdout);
  if (problem) throw new Error(`${subject.label} printed what it should not: ${problem}`);
  const subjectMs: number[] = [];
  const peerMs: number[] = [];
  for (let index = 0; index < runs; index++) {
    // Which goes first alternates too, so neither always runs right after the other's cache misses.
    const order = index % 2 === 0 ? [subject, peer] : [peer, subject];
    for (const side of order) (side === subject ? subjectMs : peerMs).push((await ok(side)).ms);
  }
  const ratio = median(subjectMs) / median(peerMs);
  const loads = await loadedPackages(subject);
  return {
    what,
    subject: subject.label,
    peer: peer.label,
    subjectMs: median(subjectMs),
    peerMs: median(peerMs),
    ratio,
    limit,
    verdict: atMost(ratio, limit),
    spread: `rdd ${fixed(Math.min(...subjectMs), 0)}–${fixed(Math.max(...subjectMs), 0)} ms, ${peer.label} ${fixed(Math.min(...peerMs), 0)}–${fixed(Math.max(...peerMs), 0)} ms`,
    loads,
  };
}

const rdd = (instance: BenchInstance, args: readonly string[]): Side => ({
  label: `rdd ${args.join(' ')}`,
  run: () => instance.rdd(args, 300_000),
  traced: () =>
    run(
      process.execPath,
      [path.join(instance.repoRoot, 'bin', 'rdd'), ...args],
      { ...instance.env, NODE_DEBUG: 'module' },
      300_000,
    ),
});

const nodeNothing = (instance: BenchInstance): Side => ({
  label: 'node -e 0',
  run: () => run(process.execPath, ['-e', '0'], instance.env, 60_000),
});

const dockerPs = (instance: BenchInstance): Side => ({
  label: 'docker ps -a --format json',
  run: () => instance.docker(['ps', '-a', '--format', 'json']),
});

function itemCount(json: string): number | null {
  try {
    const parsed = JSON.parse(json) as { items?: unknown };
    if (Array.isArray(parsed)) return parsed.length;
    return Array.isArray(parsed.items) ? parsed.items.length : null;
  } catch {
    return null;
  }
}

const expectItems =
  (count: number) =>
  (output: string): string | null => {
    const items = itemCount(output);
    return items === count ? null : `${items ?? 'no JSON list of'} items where ${count} containers exist`;
  };

/** Creates containers until the engine has `total` of the bench's, then waits until rdd lists them all. */
async function populateTo(instance: BenchInstance, docker: Docker, from: number, total: number): Promise<void> {
  progress(`creating containers ${from}…${total - 1}…`);
  const names = Array.from({ length: total - from }, (_, i) => `startup-${from + i}`);
  await createSleepers(docker, names, 8);
  const deadline = Date.now() + 600_000;
  for (;;) {
    const listed = await instance.rdd(['ctl', 'get', 'containers', '-o', 'json'], 120_000);
    if (listed.code === 0 && itemCount(listed.stdout) === total) return;
    if (Date.now() > deadline) throw new Error(`rdd did not list ${total} containers within 10 minutes`);
    await sleep(500);
  }
}

async function measure(instance: BenchInstance, options: Options, rows: StartupRow[]): Promise<void> {
  const node = nodeNothing(instance);
  const { runs } = options;
  // Neither needs an instance: measured before one exists, as a user's first command would be.
  rows.push(await compare('`rdd version`', rdd(instance, ['version']), node, 1.5, runs));
  rows.push(await compare('`rdd --help`', rdd(instance, ['--help']), node, 1.5, runs));

  progress(`starting instance ${instance.name} (HOME ${instance.home})…`);
  await instance.ok(['svc', 'start']);
  await instance.ok(['start']);
  await ensureBusyboxImage(instance.paths.docker_socket);
  const docker = new Docker({ socketPath: instance.paths.docker_socket });
  await populateTo(instance, docker, 0, options.few);
  const ctlGet = rdd(instance, ['ctl', 'get', 'containers', '-o', 'json']);
  rows.push(await compare('`rdd get -o json`', rdd(instance, ['get', '-o', 'json']), node, 2.5, runs));
  rows.push(
    await compare(
      `\`rdd ctl get containers -o json\`, ${options.few} mirrors`,
      ctlGet,
      node,
      2.5,
      runs,
      expectItems(options.few),
    ),
  );
  // The App is running already: setting it to running again changes nothing, and says so.
  rows.push(await compare('`rdd set` that changes nothing', rdd(instance, ['set', 'running=true']), node, 2.5, runs));

  await populateTo(instance, docker, options.few, options.containers);
  rows.push(
    await compare(
      `\`rdd ctl get containers -o json\`, ${options.containers} mirrors`,
      ctlGet,
      dockerPs(instance),
      1.5,
      Math.min(runs, 7),
      expectItems(options.containers),
    ),
  );
}

function printRows(rows: readonly StartupRow[]): void {
  console.log('');
  for (const row of rows) {
    console.log(`${row.verdict.padEnd(4)}  ${row.what.replace(/`/g, '')}`);
    console.log(
      `      target ≤ ${row.limit}× ${row.peer}; measured ${fixed(row.subjectMs, 0)} ms vs ${fixed(row.peerMs, 0)} ms = ${fixed(row.ratio, 2)}×`,
    );
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const machine = await machineInfo();
  const rows: StartupRow[] = [];
  const { failure } = await withBenchInstance({}, (instance) => measure(instance, options, rows));
  printRows(rows);
  const lines = startupReportLines({ machine, command: invocation('startup.bench.js'), runs: options.runs, rows });
  const write = options.report && rows.length > 0 ? (file: string) => writeSection(file, 'startup', lines) : undefined;
  return finish(failure, write);
}

runMain(main);
