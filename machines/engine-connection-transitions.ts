/**
 * The pure pieces the engine-connection machine's transitions are made of (`engine-connection.machine.ts`
 * wires them by name): the guards' questions about a DESIRED, the context updates each state makes, and
 * what a report says. Split from the machine so its file reads as the transition table.
 */
import { assertEvent } from 'xstate';
import type { EngineReport } from '../protocol/vm-engine.schema.js';
import {
  connectedConditionFor,
  engineStoppingMessage,
  idleConditionFor,
  isWanted,
  socketOf,
  type EngineConnectionContext,
  type EngineConnectionEvent,
} from './engine-connection-context.js';

type Ctx = { context: EngineConnectionContext };
type Args = Ctx & { event: EngineConnectionEvent };
type Update = Partial<EngineConnectionContext>;

export const report = {
  type: 'report',
  params: ({ context }: Ctx): EngineReport => ({ observedGeneration: context.generation, ...context.condition }),
} as const;

export const engineConnectionGuards = {
  // Not wanted and not retained: the mirrors go (App stopped, or containerd).
  unwanted: ({ event }: Args) => event.type === 'DESIRED' && !isWanted(event.desired) && !event.desired.retainMirrors,
  // Not reachable yet but still wanted: wait with the mirrors kept.
  retained: ({ event }: Args) => event.type === 'DESIRED' && !isWanted(event.desired) && event.desired.retainMirrors,
  unwantedNotSwept: ({ context, event }: Args) =>
    event.type === 'DESIRED' && !isWanted(event.desired) && !event.desired.retainMirrors && !context.swept,
  wantedSameSocket: ({ context, event }: Args) =>
    event.type === 'DESIRED' && isWanted(event.desired) && event.desired.socket === context.desired?.socket,
  wantedOtherSocket: ({ context, event }: Args) =>
    event.type === 'DESIRED' && isWanted(event.desired) && event.desired.socket !== context.desired?.socket,
  wanted: ({ event }: Args) => event.type === 'DESIRED' && isWanted(event.desired),
  stillWanted: ({ context }: Ctx) => context.desired !== null && isWanted(context.desired),
};

export function storeDesired({ event }: Args): Update {
  assertEvent(event, 'DESIRED');
  return { desired: event.desired, generation: event.desired.generation };
}

// Before a connect, the answer keeps the idle reason: a first attempt reports only how it ends.
export const setIdleCondition = ({ context }: Ctx): Update => ({ condition: idleConditionFor(context.desired) });

export const enterIdle = ({ context }: Ctx): Update => ({
  failures: 0,
  everConnected: false,
  lastError: null,
  condition: idleConditionFor(context.desired),
});

/** The context with `changes` applied, and the connected condition that follows from it. */
function withConnectedCondition(context: EngineConnectionContext, changes: Update): Update {
  const next = { ...context, ...changes };
  return { ...changes, condition: connectedConditionFor(next) };
}

export const enterSyncing = ({ context }: Ctx): Update =>
  withConnectedCondition(context, { synced: false, unanswered: null, notResponding: false });
export const enterConnected = ({ context }: Ctx): Update => withConnectedCondition(context, { synced: true });
export const enterNotResponding = ({ context }: Ctx): Update =>
  withConnectedCondition(context, { notResponding: true });
export const enterAnswering = ({ context }: Ctx): Update =>
  withConnectedCondition(context, { unanswered: null, notResponding: false });

// The first failure says since when; later ones only bring the latest cause.
export function noteUnanswered({ context, event }: Args): Update {
  assertEvent(event, 'ENGINE_UNANSWERED');
  return { unanswered: { since: context.unanswered?.since ?? event.lastAnsweredAt, cause: event.message } };
}

export const sweepingCondition: EngineConnectionContext['condition'] = {
  status: 'False',
  reason: 'Stopping',
  message: engineStoppingMessage,
};

export const markSocketChanged = ({ context }: Ctx): Update => ({
  condition: {
    status: 'False',
    reason: 'Disconnected',
    message: `the engine socket changed to ${socketOf(context)}; reconnecting`,
  },
});

/** A failed connect: ConnectFailed until the first success of the wanted period, Disconnected after it. */
export function connectFailed(context: EngineConnectionContext, error: unknown): Update {
  const cause = error instanceof Error ? error.message : String(error);
  return {
    failures: context.failures + 1,
    lastError: cause,
    condition: context.everConnected
      ? { status: 'False', reason: 'Disconnected', message: `lost the engine event stream; reconnect failed: ${cause}` }
      : { status: 'False', reason: 'ConnectFailed', message: cause },
  };
}

/** A stream that errors or ends is a death; the mirrors are kept. */
export const streamEnded = (context: EngineConnectionContext, message: string): Update => ({
  failures: context.failures + 1,
  lastError: message,
  condition: {
    status: 'False',
    reason: 'Disconnected',
    message: `lost the engine event stream: ${message}; reconnecting`,
  },
});
