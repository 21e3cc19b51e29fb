/** The startup bench's section of docs/performance.md: the machine, one row per target, how it was measured. */
import type { MachineInfo } from './machine.js';
import type { Verdict } from './stats.js';
import { fixed } from './stats.js';

export interface StartupRow {
  readonly what: string;
  readonly subject: string;
  readonly peer: string;
  /** Medians of the alternating runs, wall time from spawn to exit. */
  readonly subjectMs: number;
  readonly peerMs: number;
  readonly ratio: number;
  /** The target: at most this many times the peer. */
  readonly limit: number;
  readonly verdict: Verdict;
  /** Fastest–slowest of each side, for how much the machine wobbled. */
  readonly spread: string;
  /** The packages rdd loaded for it (from one run with NODE_DEBUG=module). */
  readonly loads: string | null;
}

export interface StartupRun {
  readonly machine: MachineInfo;
  readonly command: string;
  readonly runs: number;
  readonly rows: readonly StartupRow[];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function startupReportLines({ machine, command, runs, rows }: StartupRun): string[] {
  return [
    '## CLI start-up (`make bench-startup`)',
    '',
    `Measured ${machine.date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpu}, ${machine.cores} cores, ` +
      `${machine.ramGiB} GiB RAM, ${machine.kernel}, node ${machine.node}, docker ${machine.dockerCli}; ` +
      `load average at start ${machine.loadAverage} (1/5/15 min). Command: \`${command}\`.`,
    '',
    'Each command is a fresh process with stdin closed and stdout a pipe, run alternately with its peer ' +
      `(${runs} times each; 7 at most with many mirrors) after one untimed run of each; the ratio is of the ` +
      'medians, so a busy machine slows both sides. `rdd version` and `rdd --help` run before the instance ' +
      'exists; the reads and `rdd set running=true` (the App runs already, so nothing changes) against its ' +
      'daemon; docker against the instance’s own dockerd. Reported, never asserted.',
    '',
    '| Command | Peer | rdd | Peer | Ratio | Target | Verdict |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${cell(row.what)} | \`${cell(row.peer)}\` | ${fixed(row.subjectMs, 0)} ms | ${fixed(row.peerMs, 0)} ms | ` +
        `${fixed(row.ratio, 2)}× | ≤ ${row.limit}× | ${row.verdict} |`,
    ),
    '',
    'Fastest and slowest runs, and what rdd loaded for the command (packages with their files):',
    '',
    ...rows.map((row) => `- ${cell(row.what)}: ${cell(row.spread)}; loads ${cell(row.loads ?? '–')}`),
    '',
    '`rdd version`, `rdd --version` and `--help` (stdout not a terminal) never load oclif: bin/rdd answers ' +
      'them from cli/fast-path.ts, the help from texts the build renders through oclif’s Help class ' +
      '(e2e/cli-fast-path.e2e.test.ts checks them equal to oclif’s live output and that oclif is not loaded). ' +
      'Every other command runs from one file, dist/cli/rdd-cli.js: the build bundles oclif, the commands, ' +
      'zod and the NATS client with esbuild (minified, names kept, source map beside it) and writes its V8 ' +
      'code cache, which bin/rdd compiles it from (cli/build/). Only the command that runs has its modules ' +
      'executed; oclif’s semver engine check is skipped. `rdd get`, `rdd ctl get` and `rdd set` evaluate ' +
      'no zod and no protocol schema (the CLI types the daemon’s replies and checks only their shape: ' +
      'client/README.md; cli/build/read-path.test.ts proves it). What remains is reading and compiling the ' +
      'bundle, oclif’s config load and the NATS client; with many mirrors, the NATS client’s work per ' +
      'message (one per key) and the garbage it leaves.',
  ];
}
