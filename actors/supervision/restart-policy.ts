/** The pure decisions of a restart: how long to wait, whether to give up, and who goes down with it. */
import type { Slot } from './child-slot.js';
import type { BackoffPolicy, Strategy } from './types.js';

const DEFAULT_FACTOR = 2;

/**
 * The delay before restart number `consecutive` (1-based) of a child:
 * `min(maxMs, minMs × factor^(n−1))` spread by ±`jitter`, never negative.
 * Jitter keeps children that crashed together from restarting in lockstep.
 */
export function backoffDelay(policy: BackoffPolicy, consecutive: number, random: () => number): number {
  const factor = policy.factor ?? DEFAULT_FACTOR;
  const base = Math.min(policy.maxMs, policy.minMs * factor ** Math.max(0, consecutive - 1));
  return Math.max(0, base * (1 + policy.jitter * (2 * random() - 1)));
}

/** Restart timestamps within a sliding period; more than `intensity` of them means give up. */
export class RestartWindow {
  private times: number[] = [];

  constructor(
    private readonly intensity: number,
    private readonly periodMs: number,
  ) {}

  /** Records a restart at `now`; returns how many fall within the period, this one included. */
  record(now: number): number {
    this.times = this.times.filter((at) => now - at < this.periodMs);
    this.times.push(now);
    return this.times.length;
  }

  exceeded(count: number): boolean {
    return count > this.intensity;
  }
}

/** Which siblings go down with `crashed` (in start order) and which children start again (in order). */
export function planRestart(
  strategy: Strategy,
  slots: readonly Slot[],
  crashed: Slot,
): { readonly stop: Slot[]; readonly start: Slot[] } {
  const stop = slots.filter(
    (slot) =>
      slot !== crashed &&
      !slot.removed &&
      (strategy === 'one_for_all' || (strategy === 'rest_for_one' && slot.index > crashed.index)),
  );
  // Erlang semantics: a temporary sibling taken down by a strategy is gone, not restarted.
  const start = slots.filter((slot) => slot === crashed || (stop.includes(slot) && slot.spec.restart !== 'temporary'));
  return { stop, start };
}
