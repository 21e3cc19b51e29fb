/** The recovery bench's section of docs/performance.md (also printed on stdout): the setup, a table, notes. */
import type { MachineInfo } from './machine.js';
import { pollMs, stableMs } from './recovery.js';
import { fixed } from './stats.js';

export interface RecoveryRow {
  readonly id: string;
  readonly what: string;
  /** From the fault to recovered; null when it did not recover (the notes say why). */
  readonly seconds: number | null;
  /** Non-True states of Settled / ContainerEngineReady read on the way. */
  readonly dips: readonly string[];
  readonly dockerd: string;
  readonly containers: string;
  readonly notes: readonly string[];
}

export interface RecoveryRun {
  readonly machine: MachineInfo;
  readonly command: string;
  readonly options: { readonly containers: number; readonly running: number; readonly paused: number };
  readonly rows: readonly RecoveryRow[];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function recoveryReportLines({ machine, command, options, rows }: RecoveryRun): string[] {
  const { containers, running, paused } = options;
  const lost = rows.filter((row) => row.dockerd.startsWith('LOST') || row.containers.startsWith('LOST'));
  return [
    '## Recovery after faults (`make bench-recovery`)',
    '',
    `Measured ${machine.date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpu}, ${machine.cores} cores, ` +
      `${machine.ramGiB} GiB RAM, ${machine.kernel}, node ${machine.node}, dockerd ${machine.dockerd}, ` +
      `nats-server ${machine.natsServer}; load average at start ${machine.loadAverage} (1/5/15 min). ` +
      `Command: \`${command}\`.`,
    '',
    `An isolated instance with the dockerd driver, its daemon started with \`RDD_FAULT_INJECTION=1\`, and ` +
      `${containers} containers: ${running} kept running and ${paused} kept paused by rdd (\`spec.state\`), the ` +
      'rest created. Each fault is timed from the moment it is done until the fault has been seen to take ' +
      'effect (the process replaced, or the supervisor reporting the crash and restart; where the fault ' +
      'restarts the engine connection, its sync has ended too) and the App reads Settled=True with ' +
      'ContainerEngineReady=True beside a Container mirror, in the same state, for exactly the containers ' +
      `\`docker ps -a\` lists: the first read of a run of such reads lasting ${stableMs / 1000} s, so an old ` +
      `Settled=True left in the store by a restarted actor does not count. The App is read every ${pollMs} ms, so ` +
      'a shorter dip may go unseen. One run per fault on a shared machine: these numbers are reported, never ' +
      'asserted; a LOST is a finding.',
    '',
    '| Fault | Fault → recovered | Seen on the way | dockerd pid | Running containers (StartedAt) |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${cell(row.what)} | ${row.seconds === null ? 'did not recover' : `${fixed(row.seconds, 2)} s`} | ` +
        `${cell(row.dips.join(', ') || 'ready at every read')} | ${cell(row.dockerd)} | ${cell(row.containers)} |`,
    ),
    '',
    lost.length === 0
      ? 'dockerd and every running or paused container outlived every fault.'
      : `**Lost** in ${lost.map((row) => row.id).join(', ')}: a fault inside rdd harmed the engine.`,
    '',
    ...rows.map((row) => `- **${row.id}**: ${row.notes.map(cell).join('; ')}`),
  ];
}
