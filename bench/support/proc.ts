/** Readings from /proc (Linux): resident memory, CPU time, children. Nothing here signals a process. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { sleep } from './stats.js';

/** A memory field of /proc/<pid>/status in KiB: `VmRSS`, or its parts `RssAnon` (heaps) and `RssFile`. */
export function statusKiB(pid: number, field: 'VmRSS' | 'RssAnon' | 'RssFile' = 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Clock ticks per second, the unit of utime and stime. */
export const clockTicks: number = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The fields of /proc/<pid>/stat after the command (which may hold spaces and parentheses). */
function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The state letter of `pid` (`R`, `S`, `T` when stopped by a signal, `Z`…), or null when it is gone. */
export function processState(pid: number): string | null {
  try {
    return statFields(pid)[0] ?? null;
  } catch {
    return null;
  }
}

/** utime + stime of `pid` in clock ticks (fields 14 and 15 of stat; index 11 and 12 after the command). */
export function cpuTicks(pid: number): number {
  const fields = statFields(pid);
  return Number(fields[11]) + Number(fields[12]);
}

/** Live processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(Number(entry))[1]) === pid) children.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return children;
}

export function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
  } catch {
    return '';
  }
}

/**
 * Waits until `pids` together use at most `maxTicks` of CPU over a `windowMs` window (or `timeoutMs`
 * passed); resolves to how long that took. The idle state the memory and CPU readings need.
 */
export async function waitForIdle(
  pids: readonly number[],
  { windowMs = 2_000, maxTicks = 2, minMs = 0, timeoutMs = 120_000 } = {},
): Promise<{ ms: number; idle: boolean }> {
  const started = Date.now();
  if (minMs > 0) await sleep(minMs);
  const total = (): number => pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  while (Date.now() - started < timeoutMs) {
    const before = total();
    await sleep(windowMs);
    if (total() - before <= maxTicks) return { ms: Date.now() - started, idle: true };
  }
  return { ms: Date.now() - started, idle: false };
}
