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
import { assign, fromCallback, fromPromise, setup } from 'xstate';
import type { EventObject } from 'xstate';
import type { EngineReport } from '../protocol/vm-engine.schema.js';
import { backoffMs } from './backoff.js';
import {
  defaultQuietPeriodMs,
  defaultReconnectBackoff,
  defaultUnresponsiveAfterMs,
  engineStoppedMessage,
  socketOf,
  type ConnectInput,
  type ConnectOutput,
  type EngineConnectionContext,
  type EngineConnectionEvent,
  type PingEngineInput,
  type StreamEventsInput,
} from './engine-connection-context.js';
import {
  connectFailed,
  engineConnectionGuards,
  enterAnswering,
  enterConnected,
  enterIdle,
  enterNotResponding,
  enterSyncing,
  markSocketChanged,
  noteUnanswered,
  report,
  setIdleCondition,
  storeDesired,
  streamEnded,
  sweepingCondition,
} from './engine-connection-transitions.js';

export * from './engine-connection-context.js';

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
    storeDesired: assign(storeDesired),
    setIdleCondition: assign(setIdleCondition),
    enterIdle: assign(enterIdle),
    enterSyncing: assign(enterSyncing),
    enterConnected: assign(enterConnected),
    noteUnanswered: assign(noteUnanswered),
    enterNotResponding: assign(enterNotResponding),
    enterAnswering: assign(enterAnswering),
    enterSweeping: assign({ condition: sweepingCondition }),
    markSocketChanged: assign(markSocketChanged),
    forgiveFailures: assign({ failures: 0 }),
    markSwept: assign({ swept: true }),
  },
  guards: engineConnectionGuards,
  delays: {
    reconnectDelay: ({ context }) => backoffMs(context.failures, defaultReconnectBackoff, Math.random),
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
          actions: assign(({ context, event }) => connectFailed(context, event.error)),
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
          actions: assign(({ context, event }) => streamEnded(context, event.message)),
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
