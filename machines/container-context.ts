/**
 * The container machine's contract and wording: its context, events, actor input, report shapes,
 * condition messages and backoffs. Split from `container-matrix.ts`, which holds the policy itself.
 */
import { backoffMs, formatSeconds, type Backoff } from './backoff.js';
import type { ActualState, DesiredState, EngineAction, ObservedCause, OneShotAction } from './container-matrix.js';
import { nextStep } from './container-matrix.js';

export const containerRetryBackoff: Backoff = { initialMs: 1000, maxMs: 60_000 };
export const crashLoopBackoff: Backoff = { initialMs: 1000, maxMs: 5 * 60_000 };
/** How long a restarted container must run before its crashes are forgiven. */
export const crashResetMs = 60_000;

export const containerRetryDelayMs = (failures: number): number => backoffMs(failures, containerRetryBackoff);
export const crashLoopDelayMs = (crashes: number): number => backoffMs(crashes, crashLoopBackoff);

/** The `Converged` condition as the machine reports it; the owner stamps generation and transition time. */
export interface ConvergedCondition {
  type: 'Converged';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

function converged(status: ConvergedCondition['status'], reason: string, message: string): ConvergedCondition {
  return { type: 'Converged', status, reason, message };
}

/** The condition words, one builder per reason the machine reports. */
export const containerConditions = {
  /** `released` is why the desired state went back to unknown, when rdd released it. */
  observing: (id: string, actual: ActualState, released: string | null) =>
    converged('True', 'Observing', released ?? `no desired state for container ${id}: observing only (${actual})`),
  converged: (desired: DesiredState, actual: ActualState) =>
    converged('True', 'Converged', `desired ${desired}, actual ${actual}: ${nextStep(desired, actual).why}`),
  waiting: (desired: DesiredState, actual: ActualState) =>
    converged('False', 'Waiting', `desired ${desired}, actual ${actual}: ${nextStep(desired, actual).why}`),
  inFlight: (id: string, action: OneShotAction, desired: DesiredState, actual: ActualState) =>
    converged(
      'False',
      'ActionInFlight',
      `${action} of container ${id} in flight (desired ${desired}, actual ${actual}); re-evaluating when it ends`,
    ),
  actionFailed: (id: string, action: string, error: string, failures: number) =>
    converged(
      'False',
      'ActionFailed',
      `failed to ${action} container ${id}: ${error}; retrying in ${formatSeconds(containerRetryDelayMs(failures))}`,
    ),
  crashLoop: (id: string, crashes: number, actual: ActualState) =>
    converged(
      'False',
      'CrashLoopBackOff',
      `container ${id} crashed (${actual}) ${crashes} time${crashes === 1 ? '' : 's'}; ` +
        `restarting in ${formatSeconds(crashLoopDelayMs(crashes))}`,
    ),
};

export interface ContainerStateReport {
  desired: DesiredState;
  actual: ActualState;
  condition: ConvergedCondition;
}

/** `status.lastAction`: observedAt is when the request was made, completedAt when the machine finished it. */
export interface LastAction {
  action: OneShotAction;
  state: 'Succeeded' | 'Failed';
  error?: string;
  observedAt: string;
  completedAt: string;
}

/** Why rdd gave the desired state back: the owner sets spec.state=unknown and records this in a condition. */
export interface Release {
  reason: 'ReleasedByUser' | 'ReleasedByAction';
  message: string;
}

export const releaseMessages = {
  // A docker stop signals first: its kill event is the one that reveals it.
  byUser: (action: string) =>
    `docker ${action === 'kill' ? 'stop or kill' : action} outside rdd; desired state released to unknown`,
  byAction: (action: OneShotAction, desired: DesiredState) =>
    `${action} action requested while desired ${desired}; desired state released to unknown`,
};

export const notRunningMessage = (id: string) => `cannot unpause container ${id}: not running`;

/**
 * What the container machine receives: OBSERVED is the engine's state after an event or an inspect, with
 * the event behind it; DESIRED is a changed spec.state; ACTION is a one-shot request.
 */
export type ContainerMachineEvent =
  | { type: 'OBSERVED'; actual: ActualState; cause?: ObservedCause }
  | { type: 'DESIRED'; desired: DesiredState }
  | { type: 'ACTION'; action: OneShotAction; requestedAt: string; stopTimeSeconds?: number };

/**
 * The container machine's input: the mirror's id, its spec.state and metadata.generation, and the
 * engine's state when it was created. From then on the machine is the only owner of the desired state
 * and its generation; the owner reads them from its snapshot.
 */
export interface ContainerMachineInput {
  id: string;
  desired: DesiredState;
  /** metadata.generation: bumped by every change of the desired state, the user's or a release. */
  generation: number;
  actual: ActualState;
}
export interface RunEngineActionInput {
  id: string;
  action: EngineAction | OneShotAction;
  /** A one-shot stop's or restart's grace period (docker stop -t); absent: the container's own. */
  stopTimeSeconds?: number;
}
export interface OneShotRequest {
  action: OneShotAction;
  requestedAt: string;
  stopTimeSeconds?: number;
}

export interface ContainerMachineContext extends ContainerMachineInput {
  /** The one engine call in flight: the only slot, shared by convergence and one-shot actions. */
  inFlight: EngineAction | OneShotAction | null;
  /** Consecutive failed convergence calls (drives retryDelay); crashes not yet forgiven (crashLoopDelay). */
  failures: number;
  crashes: number;
  /** The latest failed convergence call, for the ActionFailed message. */
  lastError: { action: EngineAction | OneShotAction; message: string } | null;
  lastAction: LastAction | null;
  released: Release | null;
  /** Engine events rdd's latest call will still cause. */
  pendingOwnActions: string[];
  /** One-shot actions waiting for the slot, oldest first, and the one being run. */
  queue: OneShotRequest[];
  oneShot: OneShotRequest | null;
}

/** The context before the first event: the input, nothing in flight, nothing queued or released. */
export function initialContainerContext(input: ContainerMachineInput): ContainerMachineContext {
  return {
    ...input,
    inFlight: null,
    failures: 0,
    crashes: 0,
    lastError: null,
    lastAction: null,
    released: null,
    pendingOwnActions: [],
    queue: [],
    oneShot: null,
  };
}
