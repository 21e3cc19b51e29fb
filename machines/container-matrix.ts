/**
 * The container policy as data: the desired × actual matrix (DESIGN.md §6), the parsers that admit
 * states into it, and the pure helpers and types the container machine decides and reports with (kept
 * apart so `container.machine.ts` reads as the transition table it is).
 *
 * Every cell is written out: there is no default branch, so a state added to either list fails to type
 * check until someone decides what it means (the S9 finding: the Go original silently ignored a desired
 * state its switch did not know).
 */
import { ApiError } from '../protocol/errors.js';
import {
  containerActions,
  containerDesiredStates,
  containerStates,
  type ContainerAction,
  type ContainerDesiredState,
  type ContainerState,
} from '../protocol/mirrors/container.schema.js';

/** `spec.state`: `unknown` (the default) observes only. */
// The state and action lists are the protocol's (one definition for the schema and the machine).
export const desiredStates = containerDesiredStates;
export type DesiredState = ContainerDesiredState;

export const actualStates = containerStates;
export type ActualState = ContainerState;

/** What convergence may ask of the engine. */
export const engineActions = ['start', 'stop', 'pause', 'unpause'] as const;
export type EngineAction = (typeof engineActions)[number];

/** What a user may ask for once (reported in `status.lastAction`): the engine actions plus restart and kill. */
export const oneShotActions = containerActions;
export type OneShotAction = ContainerAction;

/** One cell: `nothing` (converged), an engine action, or `wait` (the engine is mid-transition or unseen). */
export interface Step {
  do: 'nothing' | EngineAction | 'wait';
  why: string;
}

const observeOnly: Step = { do: 'nothing', why: 'no desired state: observe only' };
const unseen: Step = { do: 'wait', why: 'the state is unknown until the next engine event' };
const restarting: Step = { do: 'wait', why: 'the engine is restarting it' };
const removing: Step = { do: 'wait', why: 'the engine is removing it' };

/** desired \ actual. Re-evaluated on every event, so a two-step path (start, then pause) needs no memory. */
export const containerMatrix: Record<DesiredState, Record<ActualState, Step>> = {
  unknown: {
    created: observeOnly,
    running: observeOnly,
    paused: observeOnly,
    restarting: observeOnly,
    removing: observeOnly,
    exited: observeOnly,
    dead: observeOnly,
    unknown: observeOnly,
  },
  running: {
    created: { do: 'start', why: 'created but never started' },
    running: { do: 'nothing', why: 'running as desired' },
    paused: { do: 'unpause', why: 'paused, and the engine cannot start a paused container' },
    restarting,
    removing,
    exited: { do: 'start', why: 'exited' },
    dead: { do: 'start', why: 'dead' },
    unknown: unseen,
  },
  created: {
    created: { do: 'nothing', why: 'created and not running, as desired' },
    running: { do: 'stop', why: 'running' },
    paused: { do: 'stop', why: 'paused, and stop works on a paused container' },
    restarting: { do: 'stop', why: 'restarting, and stop ends the restart' },
    removing,
    exited: { do: 'nothing', why: 'exited, so not running, as desired' },
    dead: { do: 'nothing', why: 'dead, so not running, as desired' },
    unknown: unseen,
  },
  paused: {
    created: { do: 'start', why: 'created; it is paused once running' },
    running: { do: 'pause', why: 'running' },
    paused: { do: 'nothing', why: 'paused as desired' },
    restarting,
    removing,
    exited: { do: 'start', why: 'exited; it is paused once running' },
    dead: { do: 'start', why: 'dead; it is paused once running' },
    unknown: unseen,
  },
};

export function nextStep(desired: DesiredState, actual: ActualState): Step {
  return containerMatrix[desired][actual];
}

export function isEngineAction(value: Step['do']): value is EngineAction {
  return (engineActions as readonly string[]).includes(value);
}

/** Admits a desired state, rejecting anything else loudly (S9: never silently ignore one). */
export function parseDesiredState(value: string): DesiredState {
  const found = desiredStates.find((state) => state === value);
  if (found === undefined) {
    throw new ApiError(
      'Invalid',
      `invalid desired container state ${JSON.stringify(value)}: valid values are ${desiredStates.join(', ')}`,
    );
  }
  return found;
}

/** Maps the engine's state string; one it does not know (Docker's `pausing`, a future state) is `unknown`. */
export function parseActualState(dockerState: string): ActualState {
  return actualStates.find((state) => state === dockerState) ?? 'unknown';
}

/** Where an action leaves a container: how a conflict is judged, and assumed until its event arrives. */
export const resultOf: Record<OneShotAction, ActualState> = {
  start: 'running',
  stop: 'exited',
  pause: 'paused',
  unpause: 'running',
  restart: 'running',
  kill: 'exited',
};

/** Whether convergence would undo `action` at once: its result is a cell that asks the engine for more. */
export function fights(desired: DesiredState, action: OneShotAction): boolean {
  return desired !== 'unknown' && isEngineAction(nextStep(desired, resultOf[action]).do);
}

/** Engine event actions that, done by someone else, can conflict with the desired state (a restart cannot). */
export const conflictCauses = ['start', 'stop', 'kill', 'pause', 'unpause'] as const satisfies readonly OneShotAction[];
export type ConflictCause = (typeof conflictCauses)[number];

export function isConflictCause(action: string): action is ConflictCause {
  return (conflictCauses as readonly string[]).includes(action);
}
/** Engine event actions that end a container by itself: a crash unless it is the tail of a stop or kill. */
export const crashCauses: readonly string[] = ['die', 'oom'];

/**
 * The engine events each action produces, in order; the last one says the action took effect. A stop
 * may send a second kill (after its timeout): that one is recognised by `byRdd` alone.
 */
export const eventsOf: Record<OneShotAction, readonly string[]> = {
  start: ['start'],
  stop: ['kill', 'die', 'stop'],
  pause: ['pause'],
  unpause: ['unpause'],
  restart: ['kill', 'die', 'stop', 'start', 'restart'],
  kill: ['kill', 'die'],
};

/** The engine event behind an OBSERVED, and whether rdd issued it (the actors layer tracks its calls). */
export interface ObservedCause {
  action: string;
  byRdd: boolean;
}

/** rdd's own event: flagged by the actors layer, or one its latest call was expected to cause. */
export function isOwnEvent(pending: readonly string[], cause: ObservedCause): boolean {
  return cause.byRdd || pending.includes(cause.action);
}

/** Someone else did what convergence would undo: a conflict, which rdd resolves by letting go. */
export function isConflictEvent(
  desired: DesiredState,
  pending: readonly string[],
  cause: ObservedCause | undefined,
): boolean {
  return (
    cause !== undefined && !isOwnEvent(pending, cause) && isConflictCause(cause.action) && fights(desired, cause.action)
  );
}

/**
 * The container ended by itself while it should run. A stop or kill by someone else comes first and
 * releases the desired state; one by rdd makes the die rdd's own: either way this is no crash.
 */
export function isCrashEvent(
  desired: DesiredState,
  actual: ActualState,
  pending: readonly string[],
  cause: ObservedCause | undefined,
): boolean {
  return (
    cause !== undefined &&
    !isOwnEvent(pending, cause) &&
    crashCauses.includes(cause.action) &&
    nextStep(desired, actual).do === 'start'
  );
}

/**
 * Consumes `action` from the events still expected from rdd's own calls (oldest call first). The engine
 * sends events in order, so whatever was expected before it and did not come was skipped (a restart of
 * a stopped container sends no kill) and is dropped too: a leftover never hides a later action by
 * someone else.
 */
export function consumeOwnEvent(pending: readonly string[], action: string): string[] {
  const index = pending.indexOf(action);
  return index < 0 ? [...pending] : pending.slice(index + 1);
}

/** The events still expected once the latest call (`action`, whose events were appended last) failed. */
export function withoutCallEvents(pending: readonly string[], action: string): string[] {
  const expected = eventsOf[action as OneShotAction];
  const tail = pending.slice(-expected.length);
  return tail.length === expected.length && tail.every((event, i) => event === expected[i])
    ? pending.slice(0, pending.length - expected.length)
    : [];
}
