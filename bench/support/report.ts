/**
 * docs/performance.md: the machine, a table of every measurement against its target, and the details.
 * The results are also kept in the file as JSON (an HTML comment), so a run of some parts (`--only`)
 * replaces their rows and keeps the others with their dates.
 */
import fs from 'node:fs';
import type { BenchResult } from './context.js';
import type { MachineInfo } from './machine.js';
import { fixed } from './stats.js';

interface Stored {
  machine: MachineInfo;
  command: string;
  results: BenchResult[];
}

const marker = 'bench-results';
/** The order of the rows: the targets' order, the restart before the other syncs of (b). */
const resultOrder = ['a', 'b-restart', 'b-initial', 'b-resync', 'c', 'd', 'e'];
const partTitles: Record<BenchResult['part'], string> = {
  a: '(a) Latency of a mirror behind `docker events`',
  b: '(b) Full sync of the containers vs the CLI floor',
  c: '(c) Memory per mirror, after a full GC',
  d: '(d) `rdd ctl get containers` vs `docker ps -a`',
  e: '(e) CPU when idle',
};

function readStored(file: string): Stored | null {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const json = new RegExp(`<!-- ${marker}\\n(.*)\\n-->`).exec(text)?.[1];
    return json ? (JSON.parse(json) as Stored) : null;
  } catch {
    return null;
  }
}

/** Keeps the earlier results of the parts this run did not measure; ordered by id. */
export function mergeResults(file: string, fresh: readonly BenchResult[]): BenchResult[] {
  const freshParts = new Set(fresh.map((result) => result.part));
  const kept = (readStored(file)?.results ?? []).filter((result) => !freshParts.has(result.part));
  const rank = (id: string): number => (resultOrder.includes(id) ? resultOrder.indexOf(id) : resultOrder.length);
  return [...kept, ...fresh].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function render(stored: Stored): string {
  const { machine, command, results } = stored;
  const day = (iso: string): string => iso.slice(0, 16).replace('T', ' ');
  const lines = [
    '# Performance of the mirrors',
    '',
    '<!-- Written by `make bench` (bench/run.ts); edits are lost on the next run. -->',
    '',
    'Measured by `make bench` against an isolated instance (its own HOME and `RDD_INSTANCE`, a dockerd of',
    'its own, the busybox image only). The bench, the daemon, nats-server and dockerd share the cores listed',
    'below (and whatever else runs on the machine), so single runs vary; compare runs on the same machine.',
    'No test asserts on these numbers. "Budget" is the measurement divided by its limit: at most 100% passes.',
    '',
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    `| CPU | ${cell(machine.cpu)} |`,
    `| Cores | ${machine.cores} |`,
    `| RAM | ${machine.ramGiB} GiB |`,
    `| Kernel | ${cell(machine.kernel)} |`,
    `| Node | ${machine.node} |`,
    `| docker CLI / dockerd | ${machine.dockerCli} / ${machine.dockerd} |`,
    `| nats-server | ${machine.natsServer} |`,
    `| Date (UTC) | ${day(machine.date)} |`,
    `| Load average at start (1/5/15 min) | ${machine.loadAverage ?? '–'} |`,
    `| Command | \`${cell(command)}\` |`,
    '',
    '## Results',
    '',
    '| Part | Measurement | Target | Measured | Budget | Verdict |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| (${r.part}) | ${cell(r.what)}${r.date < machine.date ? ` (run of ${day(r.date)})` : ''} | ` +
        `${cell(r.target)} | ${cell(r.measured)} | ${r.budget === null ? '–' : `${fixed(r.budget * 100, 0)}%`} | ${r.verdict} |`,
    ),
    '',
    '## Details',
  ];
  for (const part of Object.keys(partTitles) as BenchResult['part'][]) {
    const ofPart = results.filter((result) => result.part === part);
    if (ofPart.length === 0) continue;
    lines.push('', `### ${partTitles[part]}`, '');
    // A detail every row of the part shares (the CLI floor of (b)) is said once, after them.
    const shared =
      ofPart.length > 1 ? ofPart[0]!.details.filter((d) => ofPart.every((r) => r.details.includes(d))) : [];
    for (const result of ofPart) {
      if (ofPart.length > 1) lines.push(`- **${result.what}**: ${result.measured} (${result.verdict})`);
      for (const detail of result.details) {
        if (!shared.includes(detail)) lines.push(`${ofPart.length > 1 ? '  ' : ''}- ${detail}`);
      }
    }
    for (const detail of shared) lines.push(`- ${detail}`);
  }
  // `--` may not appear in an HTML comment; it can only occur inside JSON strings, where \u002d reads back as -.
  const json = JSON.stringify(stored).replace(/--/g, '-\\u002d');
  lines.push('', `<!-- ${marker}`, json, '-->', '');
  return lines.join('\n');
}

/** Writes the report, formatted by the project's prettier so `prettier --check .` stays green. */
export async function writeReport(file: string, stored: Stored): Promise<void> {
  let text = render(stored);
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    text = await prettier.format(text, { ...options, filepath: file });
  } catch {
    // prettier missing: the unformatted table reads the same
  }
  // The standalone benches (`make bench-inspection`, `make bench-recovery`) keep their own sections in the same file: carry them over.
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const sections = previous.match(/<!-- ([a-z-]+):begin -->[\s\S]*?<!-- \1:end -->/g) ?? [];
  fs.writeFileSync(file, [text.trimEnd(), ...sections].join('\n\n') + '\n');
}

/**
 * Puts one standalone bench's section (between `<!-- name:begin -->` and `<!-- name:end -->`) into the
 * report, in place of its previous run or after the rest; what the other benches wrote stays.
 */
export function writeSection(file: string, name: string, lines: readonly string[]): void {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const section = [begin, ...lines, end].join('\n');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Performance\n';
  const next = current.includes(begin)
    ? current.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), () => section)
    : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
}
