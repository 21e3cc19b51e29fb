/** Pure backoff arithmetic shared by the machines' named delays and the messages that quote them. */

/** An exponential backoff: `initialMs` for the first attempt, doubling up to `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/**
 * The delay before attempt `attempt` (1-based; 0 or less counts as 1): `min(maxMs, initialMs × 2^(n−1))`.
 *
 * @example
 * backoffMs(3, { initialMs: 1000, maxMs: 30_000 }) // → 4000
 */
export function backoffMs(attempt: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
}

/** Spreads `ms` over [ms/2, ms] so actors that failed together do not retry in lockstep. */
export function jitterMs(ms: number, random: number): number {
  return Math.round(ms * (0.5 + random / 2));
}

/** How a delay reads in a condition message: whole seconds, or one decimal below ten seconds. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) || seconds >= 10 ? Math.round(seconds) : seconds.toFixed(1)}s`;
}
