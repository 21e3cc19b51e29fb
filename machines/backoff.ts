/**
 * The one backoff of rdd, pure: the machines' named delays, the supervisors' restarts, the mirrors'
 * delete retries and the messages that quote them all read the same shape through the same function.
 */

/** An exponential backoff: `initialMs` for the first attempt, growing by `factor` up to `maxMs`. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Growth per consecutive attempt (default 2). */
  readonly factor?: number;
  /**
   * Random spread as a fraction of the delay, 0..1: delay × (1 ± jitter). It keeps actors that failed
   * together from retrying in lockstep; absent or 0 means none.
   */
  readonly jitter?: number;
}

const defaultFactor = 2;

/**
 * The delay before attempt `attempt` (1-based; 0 or less counts as 1):
 * `min(maxMs, initialMs × factor^(n−1))`, spread by ±`jitter` when `random` (uniform in [0, 1)) is
 * given, never negative. Without `random` it is the centre of the spread, as a message quotes it.
 *
 * @example
 * backoffMs(3, { initialMs: 1000, maxMs: 30_000 }) // → 4000
 */
export function backoffMs(attempt: number, backoff: Backoff, random?: () => number): number {
  const factor = backoff.factor ?? defaultFactor;
  const base = Math.min(backoff.maxMs, backoff.initialMs * factor ** Math.max(0, attempt - 1));
  const jitter = backoff.jitter ?? 0;
  if (!random || jitter === 0) return base;
  return Math.max(0, base * (1 + jitter * (2 * random() - 1)));
}

/** How a delay reads in a condition message: whole seconds, or one decimal below ten seconds. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) || seconds >= 10 ? Math.round(seconds) : seconds.toFixed(1)}s`;
}
