/**
 * The pure pieces the container machine's transitions are made of (`container.machine.ts` wires them):
 * the guards' questions, the context updates, and what each report, release and engine call says.
 */
import { isConflictEvent, isEngineAction, nextStep, type EngineAction } from './container-matrix.js';
import {
  containerConditions as conditions,
  type ContainerMachineContext,
  type ContainerMachineEvent,
  type ContainerStateReport,
  type ConvergedCondition,
  type LastAction,
  type Release,
  type RunEngineActionInput,
} from './container-context.js';

export type Args = { context: ContainerMachineContext; event: ContainerMachineEvent };

export const isConflict = ({ context, event }: Args) =>
  event.type === 'OBSERVED' && isConflictEvent(context.desired, context.pendingOwnActions, event.cause);
export const stepAfter = ({ context, event }: Args) =>
  nextStep(context.desired, event.type === 'OBSERVED' ? event.actual : context.actual).do;

export function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`the container machine has no ${what} in a state that needs one`);
  return value;
}
export function stepActionOf(context: ContainerMachineContext): EngineAction {
  const step = nextStep(context.desired, context.actual).do;
  if (!isEngineAction(step)) throw new Error(`the container machine cannot act on a "${step}" step`);
  return step;
}
export function finished(context: ContainerMachineContext, error?: string): Partial<ContainerMachineContext> {
  const { action, requestedAt } = present(context.oneShot, 'one-shot action');
  const state = error === undefined ? 'Succeeded' : 'Failed';
  // The only clock the machine reads: completedAt is when the action's outcome was known.
  const completedAt = new Date().toISOString();
  // A failed call causes nothing more: its expected events must not hide someone else's.
  const failedCall = error !== undefined && context.inFlight !== null;
  return {
    inFlight: null,
    oneShot: null,
    ...(failedCall ? { pendingOwnActions: [] } : {}),
    lastAction: { action, state, ...(error === undefined ? {} : { error }), observedAt: requestedAt, completedAt },
  };
}

/** The desired state given back: unknown, a new generation if it was not unknown already. */
export function released(context: ContainerMachineContext): Pick<ContainerMachineContext, 'desired' | 'generation'> {
  const changed = context.desired !== 'unknown';
  return { desired: 'unknown', generation: context.generation + (changed ? 1 : 0) };
}

export type Ctx = { context: ContainerMachineContext };
export const reportWith = (conditionOf: (context: ContainerMachineContext) => ConvergedCondition) =>
  ({
    type: 'reportState',
    params: ({ context }: Ctx): ContainerStateReport => ({
      desired: context.desired,
      actual: context.actual,
      condition: conditionOf(context),
    }),
  }) as const;
export const reportSettled = reportWith(({ id, desired, actual, released }) =>
  desired === 'unknown'
    ? conditions.observing(id, actual, released?.message ?? null)
    : conditions.converged(desired, actual),
);
export const reportWaiting = reportWith(({ desired, actual }) => conditions.waiting(desired, actual));
export const reportBusy = reportWith(({ id, inFlight, desired, actual }) =>
  conditions.inFlight(id, present(inFlight, 'action in flight'), desired, actual),
);
export const reportFailed = reportWith(({ id, lastError, failures }) =>
  conditions.actionFailed(id, lastError?.action ?? 'act on', lastError?.message ?? 'unknown error', failures),
);
export const reportCrashLoop = reportWith(({ id, crashes, actual }) => conditions.crashLoop(id, crashes, actual));
export const reportLastAction = {
  type: 'reportLastAction',
  params: ({ context }: Ctx): LastAction => present(context.lastAction, 'last action'),
} as const;
export const releaseDesired = {
  type: 'releaseDesired',
  params: ({ context }: Ctx): Release => present(context.released, 'release'),
} as const;
export const runEngineAction = {
  src: 'runEngineAction',
  input: ({ context }: Ctx): RunEngineActionInput => {
    const action = present(context.inFlight, 'action in flight');
    // The grace period belongs to the one-shot request, not to a convergence step run in the same slot.
    const grace = context.oneShot?.action === action ? context.oneShot.stopTimeSeconds : undefined;
    return { id: context.id, action, ...(grace === undefined ? {} : { stopTimeSeconds: grace }) };
  },
} as const;
/** While a call is in flight: store and answer, never a second call; the call's end re-evaluates. */
export const busyHandlers = {
  OBSERVED: [
    { guard: 'conflicts', actions: ['observe', 'releaseByUser', releaseDesired, reportBusy] },
    { actions: ['observe', reportBusy] },
  ],
  DESIRED: { actions: ['storeDesired', reportBusy] },
  ACTION: { actions: 'enqueue' },
} as const;
