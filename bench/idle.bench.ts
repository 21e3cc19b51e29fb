/**
 * (e) CPU when idle with N mirrors: utime + stime of the daemon, its nats-server and its dockerd over a
 * quiet window, as a percentage of one core. containerd (dockerd's child) is shown beside them.
 */
import type { BenchContext, BenchResult } from './support/context.js';
import { childrenOf, clockTicks, commandOf, cpuTicks, waitForIdle } from './support/proc.js';
import { atMost, fixed, sleep } from './support/stats.js';

const targetPercent = 1;

export async function benchIdle(context: BenchContext, seconds = 30): Promise<BenchResult> {
  const { instance, containers, progress } = context;
  const status = await instance.status();
  const natsPid = instance.natsPid();
  if (status.pid === null || status.enginePid === null || natsPid === null) {
    throw new Error(`missing a pid: daemon ${status.pid}, nats-server ${natsPid}, dockerd ${status.enginePid}`);
  }
  const measured = { daemon: status.pid, 'nats-server': natsPid, dockerd: status.enginePid };
  const containerd = childrenOf(status.enginePid).filter((pid) => commandOf(pid).endsWith('containerd'));
  const all = [...Object.values(measured), ...containerd];
  progress(`(e) waiting for quiet, then ${seconds} s of idle CPU with ${containers} mirrors…`);
  const idle = await waitForIdle(all, { minMs: 5_000 });
  const before = all.map(cpuTicks);
  await sleep(seconds * 1_000);
  const used = all.map((pid, i) => cpuTicks(pid) - before[i]!);
  const percent = (ticks: number): number => (ticks / clockTicks / seconds) * 100;
  const names = Object.keys(measured);
  const mainTicks = used.slice(0, names.length).reduce((sum, ticks) => sum + ticks, 0);
  const total = percent(mainTicks);
  return {
    id: 'e',
    part: 'e',
    what: 'CPU when idle (daemon + nats-server + dockerd)',
    target: `≤ ${targetPercent}% of one core`,
    measured: `${fixed(total, 2)}% of one core`,
    budget: total / targetPercent,
    verdict: atMost(total, targetPercent),
    details: [
      `${seconds} s with ${containers} mirrored containers, after ${fixed(idle.ms / 1000)} s of settling` +
        `${idle.idle ? '' : ' (never fully quiet)'}; clock ticks of ${1000 / clockTicks} ms`,
      names.map((name, i) => `${name} ${fixed(percent(used[i]!), 2)}%`).join(', ') +
        (containerd.length
          ? `; for scale, containerd ${fixed(percent(used.slice(names.length).reduce((a, b) => a + b, 0)), 2)}%`
          : ''),
    ],
    date: new Date().toISOString(),
  };
}
