/**
 * The VM actor: starts and stops whatever runs the container engine (a Lima VM, a dockerd, or an
 * external engine) as the App desires, restarts it when it dies, and reports its `Running` condition.
 *
 * Every DESIRED is answered with a report stamped with its generation, even when nothing changed: a
 * transition answers through the entry report of its target, a stay answers with the current condition
 * (the C1 fix: the Go original never answered a steady-state change, and clients waited forever).
 *
 * DESIRED × state (R = running true, S = running false):
 *
 * | state             | R                                                              | S                                         |
 * |-------------------|----------------------------------------------------------------|-------------------------------------------|
 * | waitingForDesired | → starting (a start adopts an engine a previous daemon left)   | → stopping (stop what a previous daemon may have left) |
 * | stopped           | → starting                                                     | stay, answer                              |
 * | starting          | stay, answer (a changed config is applied once started)        | → stopping (leaving aborts the start)     |
 * | started           | same config: stay, answer; changed fingerprint, driver or external socket: → stopping with applyingTemplate, then starting | → stopping |
 * | stopping          | stay, answer (starts again once the stop completes)            | stay, answer (drops a pending restart)    |
 * | startFailed       | new generation, or a failure that waits for the user: → starting now; else stay, answer (the retry timer runs) | → stopping (clean up a half-started engine) |
 * | stopFailed        | → starting (adopts the engine if it survived)                  | → stopping (try the stop again)           |
 * | restarting        | stay, answer (the restart timer runs)                          | → stopping (clean up after the death)     |
 *
 * Other transitions: starting done → started, or → stopping with applyingTemplate when what started is
 * already outdated (a newer config arrived meanwhile, or an adopted engine runs an old template);
 * starting error → startFailed → (retryDelay, unless the failure waits for the user) → starting; started ENGINE_DIED → restarting →
 * (restartDelay) → starting; stopping done → starting if desired running, else stopped; stopping error →
 * stopFailed (no automatic retry: the next DESIRED retries).
 *
 * applyingTemplate is reported from the decision to restart until started with the new config; it is
 * dropped when the App no longer wants the VM running or a start or stop fails, so Settled shows the
 * failure rather than "applying".
 */
import { assign, fromCallback, fromPromise, setup } from 'xstate';
import type { EventObject } from 'xstate';
import type { VmReport } from '../protocol/vm-engine.schema.js';
import {
  desiredOf,
  initialVmContext,
  messageOf,
  noRunningEngine,
  restartDelayMs,
  restartNeeded,
  runningEngineOf,
  retryDelayMs,
  vmReportOf,
  type StartEngineInput,
  type StartEngineOutput,
  type StopEngineInput,
  type VmMachineContext,
  type VmMachineEvent,
  type VmMachineInput,
  type WatchEngineInput,
} from './vm-context.js';
import {
  enterRestarting,
  enterStartFailed,
  enterStarted,
  enterStarting,
  enterStopFailed,
  enterStopped,
  enterStopping,
  startFailed,
  storeDesired,
  vmGuards,
} from './vm-transitions.js';

const report = { type: 'report', params: vmReportOf } as const;

/**
 * The VM machine. Actors to provide: `startEngine` (fromPromise, `StartEngineInput` → `StartEngineOutput`;
 * must honour its AbortSignal), `stopEngine` (fromPromise, `StopEngineInput`; a no-op when nothing
 * runs), `watchEngine` (fromCallback, `WatchEngineInput`; sends `ENGINE_DIED`). Action: `report`
 * (params `VmReport`). Delays (optional): `retryDelay`, `restartDelay`. Input (optional):
 * `VmMachineInput`. Types and helpers live in `vm-context.ts`, guards and
 * context updates in `vm-transitions.ts`.
 */
export const vmMachine = setup({
  types: {
    context: {} as VmMachineContext,
    events: {} as VmMachineEvent,
    // `void` keeps the input optional for createActor (xstate drops `undefined` when it infers it).
    input: undefined as VmMachineInput | void,
  },
  actors: {
    // Stubs: actors/ provides the real ones with machine.provide(). An unprovided promise actor
    // rejects (a visible failure condition); the rest throw, which crashes the actor.
    startEngine: fromPromise<StartEngineOutput, StartEngineInput>(() =>
      Promise.reject(new Error('startEngine not provided')),
    ),
    stopEngine: fromPromise<void, StopEngineInput>(() => Promise.reject(new Error('stopEngine not provided'))),
    watchEngine: fromCallback<EventObject, WatchEngineInput>(() => {
      throw new Error('watchEngine not provided');
    }),
  },
  actions: {
    report: (_, _report: VmReport) => {
      throw new Error('report not provided');
    },
    storeDesired: assign(storeDesired),
    markApplyingTemplate: assign({ applyingTemplate: true }),
    resetAttempts: assign({ attempts: 0, waitsForUser: false }),
    enterStarting: assign(enterStarting),
    enterStarted: assign(enterStarted),
    enterStopping: assign(enterStopping),
    enterStopped: assign(enterStopped),
    enterStartFailed: assign(enterStartFailed),
    enterStopFailed: assign(enterStopFailed),
    enterRestarting: assign(enterRestarting),
  },
  guards: vmGuards,
  delays: {
    retryDelay: ({ context }) => retryDelayMs(context),
    restartDelay: ({ context }) => restartDelayMs(context),
  },
}).createMachine({
  id: 'vm',
  context: ({ input }) => initialVmContext(input),
  initial: 'waitingForDesired',
  // A late death from the watcher of an engine this machine already left behind: nothing to do.
  on: { ENGINE_DIED: { actions: [] } },
  states: {
    waitingForDesired: {
      on: {
        DESIRED: [
          { guard: 'wantsRunning', target: 'starting', actions: 'storeDesired' },
          { guard: 'wantsStopped', target: 'stopping', actions: 'storeDesired' },
        ],
      },
    },
    stopped: {
      entry: ['enterStopped', report],
      on: {
        DESIRED: [
          { guard: 'wantsRunning', target: 'starting', actions: 'storeDesired' },
          { guard: 'wantsStopped', actions: ['storeDesired', report] },
        ],
      },
    },
    starting: {
      entry: ['enterStarting', report],
      invoke: {
        src: 'startEngine',
        input: ({ context }) => ({ desired: desiredOf(context) }),
        onDone: [
          {
            guard: ({ context, event }) =>
              restartNeeded(context.startedWith, event.output.fingerprint, desiredOf(context), context.fingerprint),
            target: 'stopping',
            actions: [assign(({ event }) => runningEngineOf(event.output)), 'markApplyingTemplate'],
          },
          { target: 'started', actions: assign(({ event }) => runningEngineOf(event.output)) },
        ],
        onError: {
          target: 'startFailed',
          actions: assign(({ context, event }) => startFailed(context, event.error)),
        },
      },
      on: {
        DESIRED: [
          { guard: 'wantsRunning', actions: ['storeDesired', report] },
          { guard: 'wantsStopped', target: 'stopping', actions: 'storeDesired' },
        ],
      },
    },
    started: {
      entry: ['enterStarted', report],
      invoke: {
        src: 'watchEngine',
        input: ({ context }) => ({
          socket: context.socket ?? '',
          ...(context.enginePid === null ? {} : { pid: context.enginePid }),
        }),
      },
      on: {
        DESIRED: [
          { guard: 'keepsConfig', actions: ['storeDesired', report] },
          { guard: 'wantsRestart', target: 'stopping', actions: ['storeDesired', 'markApplyingTemplate'] },
          { guard: 'wantsStopped', target: 'stopping', actions: 'storeDesired' },
        ],
        ENGINE_DIED: {
          target: 'restarting',
          actions: assign(({ context, event }) => ({
            restarts: context.restarts + 1,
            lastError: event.message,
            ...noRunningEngine(),
          })),
        },
      },
    },
    stopping: {
      entry: ['enterStopping', report],
      invoke: {
        src: 'stopEngine',
        input: ({ context }) => ({ desired: context.startedWith ?? desiredOf(context) }),
        onDone: [
          { guard: 'desiredRunning', target: 'starting', actions: assign(noRunningEngine) },
          { guard: 'desiredStopped', target: 'stopped' },
        ],
        onError: { target: 'stopFailed', actions: assign(({ event }) => ({ lastError: messageOf(event.error) })) },
      },
      on: {
        DESIRED: [
          { guard: 'wantsRunning', actions: ['storeDesired', report] },
          { guard: 'wantsStopped', actions: ['storeDesired', report] },
        ],
      },
    },
    startFailed: {
      entry: ['enterStartFailed', report],
      after: { retryDelay: { guard: 'retriesBySelf', target: 'starting' } },
      on: {
        DESIRED: [
          { guard: 'retryNow', target: 'starting', actions: ['storeDesired', 'resetAttempts'] },
          { guard: 'sameGenerationRunning', actions: ['storeDesired', report] },
          { guard: 'wantsStopped', target: 'stopping', actions: 'storeDesired' },
        ],
      },
    },
    stopFailed: {
      entry: ['enterStopFailed', report],
      on: {
        DESIRED: [
          { guard: 'wantsRunning', target: 'starting', actions: 'storeDesired' },
          { guard: 'wantsStopped', target: 'stopping', actions: 'storeDesired' },
        ],
      },
    },
    restarting: {
      entry: ['enterRestarting', report],
      after: { restartDelay: { target: 'starting' } },
      on: {
        DESIRED: [
          { guard: 'wantsRunning', actions: ['storeDesired', report] },
          { guard: 'wantsStopped', target: 'stopping', actions: 'storeDesired' },
        ],
      },
    },
  },
});
