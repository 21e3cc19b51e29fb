/**
 * The `limactl` commands the lima driver uses, run with the instance's own LIMA_HOME so rdd's VM never
 * mixes with the user's Lima instances.
 */
import path from 'node:path';
import type { InstancePaths } from '../../../protocol/instance.js';
import type { VmConfig } from '../driver.js';
import { childEnv, findExecutable } from './environment.js';
import { DriverUnavailableError } from './errors.js';
import { runChecked, type RunOptions, type RunResult } from './run-command.js';

export interface Limactl {
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
}

/** One line of `limactl list --json`: the fields rdd reads. */
export interface LimaInstance {
  readonly name: string;
  readonly status: string;
  readonly dir: string;
  readonly hostAgentPID?: number;
}

export function limaHome(paths: InstancePaths): string {
  return path.join(paths.dir, 'lima');
}

/** `rdd-<instance>`: rdd's instance names are short (≤32), and Lima keeps socket paths under its dir. */
export function limaInstanceName(instance: string): string {
  return `rdd-${instance}`;
}

export function limaLogFile(paths: InstancePaths): string {
  return path.join(paths.log_dir, 'lima.log');
}

/** `RDD_LIMACTL`, else `limactl` on PATH; rejects with how to install Lima when neither is there. */
export async function resolveLimactl(config: Pick<VmConfig, 'env' | 'paths'>): Promise<Limactl> {
  const wanted = config.env.RDD_LIMACTL || 'limactl';
  const binary = await findExecutable(wanted, config.env);
  if (!binary) {
    throw new DriverUnavailableError(
      'lima',
      `limactl not found (tried ${JSON.stringify(wanted)}): install Lima (macOS: brew install lima; others: https://lima-vm.io/docs/installation/) or set RDD_LIMACTL to its path`,
    );
  }
  return {
    binary,
    env: childEnv(config.env, { LIMA_HOME: limaHome(config.paths) }),
    logFile: limaLogFile(config.paths),
  };
}

/** `limactl list --json` prints one JSON object per line (NDJSON); tolerate a JSON array too. */
export function parseLimaList(stdout: string): LimaInstance[] {
  const text = stdout.trim();
  if (!text) return [];
  const values: unknown[] = text.startsWith('[')
    ? (JSON.parse(text) as unknown[])
    : text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as unknown);
  return values.flatMap((value) => {
    const item = value as Partial<Record<keyof LimaInstance, unknown>>;
    if (typeof item.name !== 'string') return [];
    return [
      {
        name: item.name,
        status: typeof item.status === 'string' ? item.status : 'Unknown',
        dir: typeof item.dir === 'string' ? item.dir : '',
        ...(typeof item.hostAgentPID === 'number' && item.hostAgentPID > 0 ? { hostAgentPID: item.hostAgentPID } : {}),
      },
    ];
  });
}

export function limactlRun(
  limactl: Limactl,
  args: readonly string[],
  options: Omit<RunOptions, 'env' | 'logFile'> & { log?: boolean },
): Promise<RunResult> {
  const { log = true, ...rest } = options;
  return runChecked(limactl.binary, args, { ...rest, env: limactl.env, ...(log ? { logFile: limactl.logFile } : {}) });
}

export async function findLimaInstance(limactl: Limactl, name: string): Promise<LimaInstance | null> {
  const { stdout } = await limactlRun(limactl, ['list', '--json'], { timeoutMs: 30_000, log: false });
  return parseLimaList(stdout).find((instance) => instance.name === name) ?? null;
}
