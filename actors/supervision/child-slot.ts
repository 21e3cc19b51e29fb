/** The supervisor's bookkeeping per child, and how one running child is taken down. */
import { toError } from './errors.js';
import type { ChildSpec, Running, StopReason, SupervisorSpec } from './types.js';

/** One started run of a child. Exits of a run the supervisor is stopping itself are not crashes. */
export interface Incarnation {
  readonly running: Running;
  readonly generation: number;
  readonly startedAt: number;
  stopping: boolean;
  teardown?: Promise<void>;
}

export interface Slot {
  readonly spec: ChildSpec;
  readonly index: number;
  current: Incarnation | undefined;
  /** Bumped on every start attempt, so a queued crash of an already replaced run is recognised as stale. */
  generation: number;
  /** A temporary child that ended, or a transient one that exited normally: never started again. */
  removed: boolean;
  restarts: number;
  consecutiveCrashes: number;
}

/** A child that must be restarted: it ended by itself, or a restart attempt of it failed. */
export interface Failure {
  readonly slot: Slot;
  readonly generation: number;
  readonly error: Error;
  readonly ranMs: number;
}

export function createSlots(spec: SupervisorSpec): Slot[] {
  const ids = new Set<string>();
  return spec.children.map((child, index) => {
    // lookup() and telemetry address children by id, so ids must be unique.
    if (ids.has(child.id)) throw new Error(`supervisor ${spec.id} has two children with id ${child.id}`);
    ids.add(child.id);
    return {
      spec: child,
      index,
      current: undefined,
      generation: 0,
      removed: false,
      restarts: 0,
      consecutiveCrashes: 0,
    };
  });
}

export type StopOutcome = { readonly graceful: true } | { readonly graceful: false; readonly error?: Error };

/**
 * Races the child's graceful stop against `shutdownMs` on the injected clock. `abort` cuts the wait
 * short (the supervisor is being killed). A stop that throws or rejects is not graceful.
 */
export async function stopWithin(
  running: Running,
  reason: StopReason,
  shutdownMs: number,
  sleep: (ms: number, signal: AbortSignal) => Promise<void>,
  abort: AbortSignal,
): Promise<StopOutcome> {
  const timer = new AbortController();
  let stopped: Promise<void>;
  try {
    stopped = running.stop(reason);
  } catch (err) {
    stopped = Promise.reject(toError(err));
  }
  try {
    return await Promise.race<StopOutcome>([
      stopped.then(
        () => ({ graceful: true }),
        (err: unknown) => ({ graceful: false, error: toError(err) }),
      ),
      sleep(shutdownMs, AbortSignal.any([timer.signal, abort])).then(() => ({ graceful: false })),
    ]);
  } finally {
    // Clears the timeout once the stop won, so no timer outlives the child.
    timer.abort();
  }
}
