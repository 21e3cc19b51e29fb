/**
 * The engine-connection actor: while the App wants the engine mirrored, stays connected to its event
 * stream, reconnecting with backoff forever, and reports `ContainerEngineReady`.
 *
 * | state             | DESIRED not wanted                     | DESIRED wanted, same socket | DESIRED wanted, other socket        |
 * |-------------------|----------------------------------------|-----------------------------|-------------------------------------|
 * | waitingForDesired | → sweeping                             | answer Stopped, → connecting | answer Stopped, → connecting       |
 * | sweeping          | answer Stopping                        | answer Stopping; when done → connecting                           |
 * | idle              | → sweeping if not swept, else answer   | answer Stopped, → connecting | answer Stopped, → connecting       |
 * | connecting        | → sweeping                             | answer                      | answer, connect again to the new one |
 * | connected.*       | → sweeping                             | answer                      | Disconnected, → connecting          |
 * | backoff           | → sweeping                             | answer                      | answer, → connecting without waiting |
 *
 * Other transitions: connecting done → connected.syncing (False/Syncing); SYNCED → connected.watching
 * (True/Connected: the mirrors are whole); connecting error → backoff (ConnectFailed until the first
 * success of the wanted period, Disconnected after it); connected STREAM_ENDED → backoff (Disconnected,
 * the mirrors are kept); backoff (reconnectDelay) → connecting. A clean end of the stream is a death too
 * (DESIGN.md §5): the engine never ends it while healthy. `sweeping` removes every mirror (the engine
 * is no longer wanted: VM stopped, or containerd) and always ends in a state that matches the latest
 * desired, so a sync never races a sweep. "Not wanted" with `retainMirrors` (the VM is starting or
 * restarting the engine the App still wants) goes to idle with False/WaitingForVM and keeps the mirrors.
 *
 * A hung engine keeps its event stream open and merely goes quiet, so `connected` also runs `pingEngine`
 * in parallel with the sync: pings that keep failing for `unresponsiveAfter` turn the condition into
 * False/NotResponding, and the first answer afterwards restores Syncing or Connected. Neither touches
 * the stream or the mirrors: a hang that ends needs no reconnect and no resync, and never costs a mirror.
 *
 * Leaving a state stops its invoked actor synchronously (connect is aborted, the stream's cleanup runs)
 * and nothing waits on it: going idle never blocks on an engine that hangs (the S1 finding).
 * `mirrorImages` only lives in `desired`: the mirrors read it, so a change needs no reconnect.
 */
import { assertEvent, assign, fromCallback, fromPromise, setup } from 'xstate';
import type { EventObject } from 'xstate';
import type { EngineDesired, EngineReport } from '../protocol/vm-engine.schema.js';
import { backoffMs, jitterMs, type Backoff } from './backoff.js';

export interface ConnectInput {
  socket: string;
}
export interface ConnectOutput {
  /** The engine's clock in seconds: the event stream subscribes from this instant. */
  clock: number;
}
export interface StreamEventsInput {
  socket: string;
  since: number;
}
export interface PingEngineInput {
  socket: string;
}

export type EngineConnectionEvent =
  | { type: 'DESIRED'; desired: EngineDesired }
  /** Sent by `streamEvents` once the first sync of this connection has mirrored everything. */
  | { type: 'SYNCED' }
  /** Sent by `streamEvents` when the stream errors or ends, or the sync fails. */
  | { type: 'STREAM_ENDED'; message: string }
  /** Sent by `pingEngine` for every ping that fails or times out. */
  | { type: 'ENGINE_UNANSWERED'; message: string; lastAnsweredAt: string }
  /** Sent by `pingEngine` for a ping answered after one that was not. */
  | { type: 'ENGINE_ANSWERED' };

/** Why the engine is doubted: since when it has not answered (the first failure's), and the latest cause. */
export interface Unanswered {
  since: string;
  cause: string;
}

type EngineCondition = Pick<EngineReport, 'status' | 'reason' | 'message'>;

export interface EngineConnectionContext {
  desired: EngineDesired | null;
  /** The latest desired generation: every report carries it. */
  generation: number;
  /** Consecutive failures (failed connects and stream deaths); drives reconnectDelay. */
  failures: number;
  /** Whether a connect succeeded in this wanted period: later failures are Disconnected, not ConnectFailed. */
  everConnected: boolean;
  lastError: string | null;
  clock: number | null;
  /** Whether no mirror can exist: swept since the last connect. */
  swept: boolean;
  /** Whether the first sync of this connection is done. */
  synced: boolean;
  /** Set while pings fail; cleared by an answer. */
  unanswered: Unanswered | null;
  /** Whether pings have failed long enough to report NotResponding. */
  notResponding: boolean;
  condition: EngineCondition;
}

export const defaultReconnectBackoff: Backoff = { initialMs: 500, maxMs: 30_000 };
/** How long a connection must stay up before its failures are forgiven (the backoff starts afresh). */
export const defaultQuietPeriodMs = 30_000;
/** How long pings must keep failing before the engine is reported as not responding. */
export const defaultUnresponsiveAfterMs = 5_000;

export const engineStoppedMessage = 'Container engine stopped';
export const engineNotApplicableMessage = 'Engine mirroring is only supported with the moby engine';
export const engineConnectedMessage = 'Container engine connected';
export const engineSyncingMessage = 'Connected to the container engine; mirroring its objects';
export const engineStoppingMessage = 'Removing the mirrors of the container engine';
export const engineWaitingMessage = 'Waiting for the VM to run the container engine; its mirrors are kept';

/**
 * The condition while not connected: mirroring a containerd engine does not apply; an engine the App
 * still wants is waited for (mirrors kept); anything else is stopped.
 */
function idleConditionFor(desired: EngineDesired | null): EngineCondition {
  if (desired?.engine === 'containerd') {
    return { status: 'True', reason: 'NotApplicable', message: engineNotApplicableMessage };
  }
  if (desired?.retainMirrors) return { status: 'False', reason: 'WaitingForVM', message: engineWaitingMessage };
  return { status: 'False', reason: 'Stopped', message: engineStoppedMessage };
}

/** Wanted means mirrored, which only moby supports: a containerd engine is never connected to. */
function isWanted(desired: EngineDesired): boolean {
  return desired.wanted && desired.engine === 'moby';
}

/**
 * The condition while connected: a silent engine outranks the sync, since nothing it reports can be
 * trusted to be current while it does not answer.
 */
function connectedConditionFor(context: EngineConnectionContext): EngineCondition {
  if (context.notResponding && context.unanswered) {
    const { since, cause } = context.unanswered;
    return {
      status: 'False',
      reason: 'NotResponding',
      message: `the engine at ${socketOf(context)} has not answered since ${since} (${cause}); its containers and mirrors are left as they are`,
    };
  }
  return context.synced
    ? { status: 'True', reason: 'Connected', message: engineConnectedMessage }
    : { status: 'False', reason: 'Syncing', message: engineSyncingMessage };
}

function socketOf(context: EngineConnectionContext): string {
  if (!context.desired) throw new Error('the engine-connection machine has no desired state in a state that needs one');
  return context.desired.socket;
}

function reportOf({ context }: { context: EngineConnectionContext }): EngineReport {
  return { observedGeneration: context.generation, ...context.condition };
}

const report = { type: 'report', params: reportOf } as const;

/**
 * The engine-connection machine. Actors to provide: `connect` (fromPromise, `ConnectInput` →
 * `ConnectOutput`), `streamEvents` (fromCallback, `StreamEventsInput`; sends `STREAM_ENDED`),
 * `pingEngine` (fromCallback, `PingEngineInput`; sends `ENGINE_UNANSWERED` and `ENGINE_ANSWERED`).
 * Action: `report` (params `EngineReport`). Delays (optional): `reconnectDelay`, `quietPeriod`,
 * `unresponsiveAfter`.
 */
export const engineConnectionMachine = setup({
  types: {
    context: {} as EngineConnectionContext,
    events: {} as EngineConnectionEvent,
  },
  actors: {
    // Stubs: actors/ provides the real ones with machine.provide(). An unprovided promise actor
    // rejects (a visible failure condition); the rest throw, which crashes the actor.
    connect: fromPromise<ConnectOutput, ConnectInput>(() => Promise.reject(new Error('connect not provided'))),
    streamEvents: fromCallback<EventObject, StreamEventsInput>(() => {
      throw new Error('streamEvents not provided');
    }),
    sweepMirrors: fromPromise<void>(() => Promise.reject(new Error('sweepMirrors not provided'))),
    pingEngine: fromCallback<EventObject, PingEngineInput>(() => {
      throw new Error('pingEngine not provided');
    }),
  },
  actions: {
    report: (_, _report: EngineReport) => {
      throw new Error('report not provided');
    },
    storeDesired: assign(({ event }) => {
      assertEvent(event, 'DESIRED');
      return { desired: event.desired, generation: event.desired.generation };
    }),
    // Before a connect, the answer keeps the idle reason: a first attempt reports only how it ends.
    setIdleCondition: assign(({ context }) => ({ condition: idleConditionFor(context.desired) })),
    enterIdle: assign(({ context }) => ({
      failures: 0,
      everConnected: false,
      lastError: null,
      condition: idleConditionFor(context.desired),
    })),
    enterSyncing: assign(({ context }) => {
      const next = { ...context, synced: false, unanswered: null, notResponding: false };
      return { ...next, condition: connectedConditionFor(next) };
    }),
    enterConnected: assign(({ context }) => {
      const next = { ...context, synced: true };
      return { ...next, condition: connectedConditionFor(next) };
    }),
    // The first failure says since when; later ones only bring the latest cause.
    noteUnanswered: assign(({ context, event }) => {
      assertEvent(event, 'ENGINE_UNANSWERED');
      return { unanswered: { since: context.unanswered?.since ?? event.lastAnsweredAt, cause: event.message } };
    }),
    enterNotResponding: assign(({ context }) => {
      const next = { ...context, notResponding: true };
      return { ...next, condition: connectedConditionFor(next) };
    }),
    enterAnswering: assign(({ context }) => {
      const next = { ...context, unanswered: null, notResponding: false };
      return { ...next, condition: connectedConditionFor(next) };
    }),
    enterSweeping: assign({
      condition: { status: 'False', reason: 'Stopping', message: engineStoppingMessage },
    }),
    markSocketChanged: assign(({ context }) => ({
      condition: {
        status: 'False',
        reason: 'Disconnected',
        message: `the engine socket changed to ${socketOf(context)}; reconnecting`,
      },
    })),
    forgiveFailures: assign({ failures: 0 }),
    markSwept: assign({ swept: true }),
  },
  guards: {
    // Not wanted and not retained: the mirrors go (App stopped, or containerd).
    unwanted: ({ event }) => event.type === 'DESIRED' && !isWanted(event.desired) && !event.desired.retainMirrors,
    // Not reachable yet but still wanted: wait with the mirrors kept.
    retained: ({ event }) => event.type === 'DESIRED' && !isWanted(event.desired) && event.desired.retainMirrors,
    unwantedNotSwept: ({ context, event }) =>
      event.type === 'DESIRED' && !isWanted(event.desired) && !event.desired.retainMirrors && !context.swept,
    wantedSameSocket: ({ context, event }) =>
      event.type === 'DESIRED' && isWanted(event.desired) && event.desired.socket === context.desired?.socket,
    wantedOtherSocket: ({ context, event }) =>
      event.type === 'DESIRED' && isWanted(event.desired) && event.desired.socket !== context.desired?.socket,
    wanted: ({ event }) => event.type === 'DESIRED' && isWanted(event.desired),
    stillWanted: ({ context }) => context.desired !== null && isWanted(context.desired),
  },
  delays: {
    reconnectDelay: ({ context }) => jitterMs(backoffMs(context.failures, defaultReconnectBackoff), Math.random()),
    quietPeriod: defaultQuietPeriodMs,
    unresponsiveAfter: defaultUnresponsiveAfterMs,
  },
}).createMachine({
  id: 'engineConnection',
  context: {
    desired: null,
    generation: 0,
    failures: 0,
    everConnected: false,
    lastError: null,
    clock: null,
    swept: false,
    synced: false,
    unanswered: null,
    notResponding: false,
    condition: { status: 'False', reason: 'Stopped', message: engineStoppedMessage },
  },
  initial: 'waitingForDesired',
  // A late message from a connection this machine already left behind: nothing to do.
  on: {
    STREAM_ENDED: { actions: [] },
    SYNCED: { actions: [] },
    ENGINE_UNANSWERED: { actions: [] },
    ENGINE_ANSWERED: { actions: [] },
  },
  states: {
    waitingForDesired: {
      on: {
        DESIRED: [
          { guard: 'wanted', target: 'connecting', actions: ['storeDesired', 'setIdleCondition', report] },
          { guard: 'retained', target: 'idle', actions: 'storeDesired' },
          { guard: 'unwanted', target: 'sweeping', actions: 'storeDesired' },
        ],
      },
    },
    sweeping: {
      entry: ['enterSweeping', report],
      invoke: {
        src: 'sweepMirrors',
        // The actors layer logs a failed sweep; the mirrors it left are pruned by the next sync.
        onDone: [
          { guard: 'stillWanted', target: 'connecting', actions: ['markSwept', 'setIdleCondition', report] },
          { target: 'idle', actions: 'markSwept' },
        ],
        onError: [
          { guard: 'stillWanted', target: 'connecting', actions: ['setIdleCondition', report] },
          { target: 'idle' },
        ],
      },
      // Answer, and let the sweep finish: a sync started now would race the deletes.
      on: { DESIRED: { actions: ['storeDesired', report] } },
    },
    idle: {
      entry: ['enterIdle', report],
      on: {
        DESIRED: [
          { guard: 'wanted', target: 'connecting', actions: ['storeDesired', 'setIdleCondition', report] },
          // Waiting with mirrors kept, then told to let go: the mirrors go now.
          { guard: 'unwantedNotSwept', target: 'sweeping', actions: 'storeDesired' },
          // moby ↔ containerd (or retained ↔ not) changes the idle condition: recompute it before answering.
          { actions: ['storeDesired', 'setIdleCondition', report] },
        ],
      },
    },
    connecting: {
      // A connection writes mirrors again: a later stop must sweep them.
      entry: assign({ swept: false }),
      // No entry report: the previous reason stands until this attempt succeeds or fails.
      invoke: {
        src: 'connect',
        input: ({ context }) => ({ socket: socketOf(context) }),
        onDone: {
          target: 'connected',
          actions: assign(({ event }) => ({ clock: event.output.clock, everConnected: true, lastError: null })),
        },
        onError: {
          target: 'backoff',
          actions: assign(({ context, event }) => {
            const cause = messageOf(event.error);
            return {
              failures: context.failures + 1,
              lastError: cause,
              condition: context.everConnected
                ? {
                    status: 'False',
                    reason: 'Disconnected',
                    message: `lost the engine event stream; reconnect failed: ${cause}`,
                  }
                : { status: 'False', reason: 'ConnectFailed', message: cause },
            } satisfies Partial<EngineConnectionContext>;
          }),
        },
      },
      on: {
        DESIRED: [
          { guard: 'retained', target: 'idle', actions: 'storeDesired' },
          { guard: 'unwanted', target: 'sweeping', actions: 'storeDesired' },
          { guard: 'wantedSameSocket', actions: ['storeDesired', report] },
          { guard: 'wantedOtherSocket', target: 'connecting', reenter: true, actions: ['storeDesired', report] },
        ],
      },
    },
    connected: {
      invoke: [
        {
          src: 'streamEvents',
          input: ({ context }) => ({ socket: socketOf(context), since: context.clock ?? 0 }),
        },
        { src: 'pingEngine', input: ({ context }) => ({ socket: socketOf(context) }) },
      ],
      type: 'parallel',
      states: {
        sync: {
          initial: 'syncing',
          states: {
            syncing: {
              entry: ['enterSyncing', report],
              on: { SYNCED: 'watching' },
            },
            watching: { entry: ['enterConnected', report] },
          },
        },
        // Independent of the stream: a hung engine keeps it open and silent.
        liveness: {
          initial: 'answering',
          states: {
            answering: {
              on: { ENGINE_UNANSWERED: { target: 'doubting', actions: 'noteUnanswered' } },
            },
            // One missed ping is a slow answer, not a hang: only a silence that lasts is reported.
            doubting: {
              after: { unresponsiveAfter: 'notAnswering' },
              on: {
                ENGINE_UNANSWERED: { actions: 'noteUnanswered' },
                ENGINE_ANSWERED: { target: 'answering', actions: 'enterAnswering' },
              },
            },
            notAnswering: {
              entry: ['enterNotResponding', report],
              on: {
                // The reason stands; a new cause alone is not worth a report.
                ENGINE_UNANSWERED: { actions: 'noteUnanswered' },
                ENGINE_ANSWERED: { target: 'answering', actions: ['enterAnswering', report] },
              },
            },
          },
        },
      },
      after: { quietPeriod: { actions: 'forgiveFailures' } },
      on: {
        STREAM_ENDED: {
          target: 'backoff',
          actions: assign(({ context, event }) => ({
            failures: context.failures + 1,
            lastError: event.message,
            condition: {
              status: 'False',
              reason: 'Disconnected',
              message: `lost the engine event stream: ${event.message}; reconnecting`,
            },
          })),
        },
        DESIRED: [
          { guard: 'retained', target: 'idle', actions: 'storeDesired' },
          { guard: 'unwanted', target: 'sweeping', actions: 'storeDesired' },
          // mirrorImages and nudges land here: the connection is already what is wanted.
          { guard: 'wantedSameSocket', actions: ['storeDesired', report] },
          { guard: 'wantedOtherSocket', target: 'connecting', actions: ['storeDesired', 'markSocketChanged', report] },
        ],
      },
    },
    backoff: {
      entry: report,
      after: { reconnectDelay: { target: 'connecting' } },
      on: {
        DESIRED: [
          { guard: 'retained', target: 'idle', actions: 'storeDesired' },
          { guard: 'unwanted', target: 'sweeping', actions: 'storeDesired' },
          { guard: 'wantedSameSocket', actions: ['storeDesired', report] },
          // A new socket is a new engine: no reason to wait out the old one's backoff.
          { guard: 'wantedOtherSocket', target: 'connecting', actions: ['storeDesired', report] },
        ],
      },
    },
  },
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
