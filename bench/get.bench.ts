/**
 * (d) `rdd ctl get containers -o json` with N mirrors against `docker ps -a --format json`: wall time of
 * each command (a fresh process every run, as a user types it), median of 5, run alternately.
 */
import type { BenchContext, BenchResult } from './support/context.js';
import { atMost, fixed, median, repeat } from './support/stats.js';

const targetRatio = 2;
const runs = 5;
const getArgs = ['ctl', 'get', 'containers', '-o', 'json'];

function countItems(json: string): number | null {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (Array.isArray(parsed)) return parsed.length;
    const items = (parsed as { items?: unknown }).items;
    return Array.isArray(items) ? items.length : null;
  } catch {
    return null;
  }
}

export async function benchGet(context: BenchContext): Promise<BenchResult> {
  const { instance, containers, progress } = context;
  const base = {
    id: 'd',
    part: 'd' as const,
    what: '`rdd ctl get containers -o json` vs `docker ps -a --format json`',
    target: `≤ ${targetRatio}× docker ps`,
    date: new Date().toISOString(),
  };
  const probe = await instance.rdd(getArgs, 120_000);
  if (probe.code !== 0) {
    const said = (probe.stderr || probe.stdout).trim().split('\n')[0] ?? '';
    progress(`(d) rdd ${getArgs.join(' ')} is not available yet: ${said}`);
    return {
      ...base,
      measured: 'not available yet',
      budget: null,
      verdict: 'N/A',
      details: [`\`rdd ${getArgs.join(' ')}\` exited ${probe.code}: ${said}`],
    };
  }
  progress(`(d) rdd ctl get containers vs docker ps -a, ${runs} runs each…`);
  const timings = await repeat(runs, async () => {
    const docker = await instance.docker(['ps', '-a', '--format', 'json']);
    const rdd = await instance.ok(getArgs, 120_000);
    return {
      docker: docker.ms,
      rdd: rdd.ms,
      items: countItems(rdd.stdout),
      lines: docker.stdout.split('\n').filter(Boolean).length,
    };
  });
  // What any rdd command costs before it does anything: node, oclif, the command's imports.
  const startup = median(await repeat(runs, async () => (await instance.ok(['version'])).ms));
  const rddMs = median(timings.map((t) => t.rdd));
  const dockerMs = median(timings.map((t) => t.docker));
  const ratio = rddMs / dockerMs;
  return {
    ...base,
    measured: `${fixed(rddMs, 0)} ms vs ${fixed(dockerMs, 0)} ms = ${fixed(ratio, 2)}×`,
    budget: ratio / targetRatio,
    verdict: atMost(ratio, targetRatio),
    details: [
      `medians of ${runs} alternating runs with ${containers} containers; rdd printed ` +
        `${timings[0]?.items ?? 'an unreadable number of'} items, docker ${timings[0]?.lines ?? 0} lines`,
      `for scale, \`rdd version\` (the CLI's start-up, no bus) takes ${fixed(startup, 0)} ms`,
      `rdd: ${timings.map((t) => fixed(t.rdd, 0)).join(', ')} ms; docker: ${timings.map((t) => fixed(t.docker, 0)).join(', ')} ms`,
    ],
  };
}
