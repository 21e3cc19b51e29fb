/**
 * What the benches that run an instance share as programs: progress lines on stderr, counts from flags,
 * and the instance's life (made for the run, deleted after it even when the run fails or is interrupted).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeError } from '../../protocol/errors.js';
import { BenchInstance, deleteInstance, findRepoRoot } from './instance.js';

export function progress(line: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** A flag's value as a whole number of at least `min`, or an error naming the flag and what it allows. */
export function countFlag(text: string, flag: string, min = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`--${flag} wants a whole number ≥ ${min}, not "${text}"`);
  }
  return value;
}

/**
 * Makes an isolated instance (`bench-<pid>`, `extraEnv` added to what its daemon inherits), runs
 * `measure` on it, and deletes it. Resolves to measure's failure, if any, so the caller can still report
 * what was measured before it.
 */
export async function withBenchInstance(
  extraEnv: NodeJS.ProcessEnv,
  measure: (instance: BenchInstance) => Promise<void>,
): Promise<{ failure: unknown }> {
  const repoRoot = findRepoRoot();
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'actors', 'daemon', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const instance = new BenchInstance(`bench-${process.pid}`, repoRoot, extraEnv);
  const interrupted = (): void => {
    progress('interrupted: deleting the instance…');
    void instance.dispose().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    await measure(instance);
    return { failure: undefined };
  } catch (failure) {
    return { failure };
  } finally {
    process.off('SIGINT', interrupted);
    await deleteInstance(instance, progress);
  }
}

/** A flag the bench does not take, or a value it does not allow: exit 2, as the CLI does for usage. */
export class UsageError extends Error {}

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

/** Runs a bench's main and exits with its code; what stopped it early is said on stderr: exit 2 for usage, else 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`bench failed: ${error instanceof Error ? error.message : describeError(error)}`);
      process.exit(isUsageError(error) ? 2 : 1);
    },
  );
}

/** How this bench was run, as the report shows it: `node dist/bench/bench/<script> <args>`. */
export function invocation(script: string): string {
  const args = process.argv.slice(2).join(' ');
  return `node dist/bench/bench/${script}${args ? ` ${args}` : ''}`;
}

/**
 * The end of a bench's main: `write` (when given) updates docs/performance.md with what was measured,
 * even after a failure; then the exit code, 1 with the failure's stack (where it broke matters).
 */
export async function finish(
  failure: unknown,
  write: ((file: string) => void | Promise<void>) | undefined,
): Promise<number> {
  if (write) {
    const file = path.join(findRepoRoot(), 'docs', 'performance.md');
    await write(file);
    progress(`wrote ${path.relative(process.cwd(), file) || file}`);
  }
  if (!failure) return 0;
  console.error(
    `bench failed: ${failure instanceof Error ? (failure.stack ?? failure.message) : describeError(failure)}`,
  );
  return 1;
}
