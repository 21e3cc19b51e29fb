/**
 * The pure decisions of a restart: how long to wait, whether to give up, and who goes down with it.
 * Every supervisor decides with these, the declared ones (`supervisor.ts`) and the mirrors' one alike.
 */
import { backoffMs } from '../../machines/backoff.js';
import type { Slot } from './child-slot.js';
import type { RestartBackoff, Strategy } from './types.js';

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

/** How often children may crash before their supervisor gives up, and how long each restart waits. */
export interface RestartLimits {
  /** More than `intensity` restarts within `periodMs` escalates. */
  readonly intensity: number;
  readonly periodMs: number;
  readonly backoff: RestartBackoff;
}

/** What the policy says about one crash. */
export interface RestartDecision {
  /** Restarts within the period, this one included. */
  readonly restarts: number;
  /** More than the intensity: stop restarting and escalate. */
  readonly escalate: boolean;
  /** The child's consecutive crashes, this one included; a long enough run before it starts them afresh. */
  readonly consecutive: number;
  /** How long to wait before the restart. */
  readonly delayMs: number;
}

/** The restart intensity and backoff of one supervisor, over all of its children. */
export class RestartPolicy {
  private readonly window: RestartWindow;

  constructor(
    private readonly limits: RestartLimits,
    private readonly random: () => number,
  ) {
    this.window = new RestartWindow(limits.intensity, limits.periodMs);
  }

  /**
   * Records a crash at `now` of a child that had crashed `consecutive` times in a row before this run,
   * which lasted `ranMs`.
   */
  onCrash(now: number, consecutive: number, ranMs: number): RestartDecision {
    const restarts = this.window.record(now);
    const { backoff } = this.limits;
    const crashes = (ranMs >= backoff.resetAfterMs ? 0 : consecutive) + 1;
    return {
      restarts,
      escalate: this.window.exceeded(restarts),
      consecutive: crashes,
      delayMs: backoffMs(crashes, backoff, this.random),
    };
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
