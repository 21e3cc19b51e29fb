/**
 * The container actor: one per mirrored container. It converges the engine towards `spec.state` through
 * the desired × actual matrix (`container-matrix.ts`), runs one-shot actions, and never fights the user
 * (DESIGN.md §6). It knows nothing about Docker: the actors layer turns engine events and inspects into
 * OBSERVED, runs `runEngineAction`, and writes what the actions report.
 *
 * | what happens                                           | what the machine does                                        |
 * |--------------------------------------------------------|--------------------------------------------------------------|
 * | OBSERVED / DESIRED, cell `nothing`                     | report True/Converged (True/Observing when desired unknown)  |
 * | OBSERVED / DESIRED, cell `wait`                        | report False/Waiting; the next event re-evaluates            |
 * | OBSERVED / DESIRED, cell is an engine action           | run it (False/ActionInFlight); done → re-evaluate            |
 * | anything while a call is in flight                     | never a second call: store it, re-evaluate when the call ends|
 * | the engine action fails                                | False/ActionFailed; after retryDelay → re-evaluate           |
 * | start/stop/kill/pause/unpause by someone else whose    | releaseDesired(ReleasedByUser), desired := unknown,          |
 * |   result the matrix would undo                         |   True/Observing; no engine call                             |
 * | die/oom by itself, cell says start (desired running or | crashes + 1, False/CrashLoopBackOff; after crashLoopDelay →  |
 * |   paused)                                              |   re-evaluate; forgiven after crashResetDelay alive          |
 * | restart by the engine (restart policy), rename, …      | plain observation: never a conflict                          |
 * | ACTION                                                 | queued; runs in the same single slot before convergence      |
 * | ACTION pause on paused                                 | Succeeded without calling the engine                         |
 * | ACTION unpause when neither paused nor running         | Failed "cannot unpause container <id>: not running"          |
 * | ACTION succeeded and the matrix would undo it          | releaseDesired(ReleasedByAction), desired := unknown         |
 *
 * Own events: each call records the engine events it will cause (`pendingOwnActions`); an OBSERVED whose
 * cause is flagged `byRdd` or matches one of them is rdd's own, so it is never a conflict or a crash.
 * After a successful call the action's result is assumed until its last event arrives, so a slow event
 * stream cannot make the machine send the same action twice.
 */
import { assign, fromPromise, setup } from 'xstate';
import { describeError } from '../protocol/errors.js';
import {
  consumeOwnEvent,
  withoutCallEvents,
  eventsOf,
  fights,
  isCrashEvent,
  nextStep,
  resultOf,
  type EngineAction,
  type OneShotAction,
} from './container-matrix.js';
import {
  crashLoopDelayMs,
  crashResetMs,
  initialContainerContext,
  notRunningMessage,
  releaseMessages,
  containerRetryDelayMs,
  type ContainerMachineContext,
  type ContainerMachineEvent,
  type ContainerMachineInput,
  type ContainerStateReport,
  type LastAction,
  type Release,
  type RunEngineActionInput,
} from './container-context.js';
import {
  busyHandlers,
  finished,
  isConflict,
  present,
  releaseDesired,
  released,
  reportBusy,
  reportCrashLoop,
  reportFailed,
  reportLastAction,
  reportSettled,
  reportWaiting,
  runEngineAction,
  stepActionOf,
  stepAfter,
} from './container-transitions.js';

/**
 * The container machine. Actor to provide: `runEngineAction` (fromPromise, `RunEngineActionInput`;
 * rejects with the engine's error). Actions: `reportState` (`ContainerStateReport`), `reportLastAction`
 * (`LastAction`), `releaseDesired` (`Release`). Delays (optional): `retryDelay`, `crashLoopDelay`,
 * `crashResetDelay`. Input: `ContainerMachineInput`; the machine evaluates it at once.
 */
export const containerMachine = setup({
  types: {
    context: {} as ContainerMachineContext,
    events: {} as ContainerMachineEvent,
    input: {} as ContainerMachineInput,
  },
  actors: {
    // A stub: actors/ provides the real one with machine.provide(); unprovided, every call fails visibly.
    runEngineAction: fromPromise<void, RunEngineActionInput>(() =>
      Promise.reject(new Error('runEngineAction not provided')),
    ),
  },
  actions: {
    reportState: (_, _report: ContainerStateReport) => {
      throw new Error('reportState not provided');
    },
    reportLastAction: (_, _lastAction: LastAction) => {
      throw new Error('reportLastAction not provided');
    },
    releaseDesired: (_, _release: Release) => {
      throw new Error('releaseDesired not provided');
    },
    observe: assign(({ context, event }) => {
      if (event.type !== 'OBSERVED') return {};
      const pending = context.pendingOwnActions;
      return {
        actual: event.actual,
        pendingOwnActions: event.cause ? consumeOwnEvent(pending, event.cause.action) : pending,
      };
    }),
    storeDesired: assign(({ context, event }) => {
      if (event.type !== 'DESIRED' || event.desired === context.desired) return {};
      // A new intent starts afresh; an unknown echoing rdd's own release keeps its reason on show.
      const released = event.desired === 'unknown' ? context.released : null;
      return { desired: event.desired, generation: context.generation + 1, failures: 0, crashes: 0, released };
    }),
    releaseByUser: assign(({ context, event }) => {
      const action = (event.type === 'OBSERVED' && event.cause?.action) || 'action';
      return {
        ...released(context),
        released: { reason: 'ReleasedByUser', message: releaseMessages.byUser(action) },
      };
    }),
    releaseByAction: assign(({ context }) => {
      const message = releaseMessages.byAction(present(context.oneShot, 'one-shot action').action, context.desired);
      return { ...released(context), released: { reason: 'ReleasedByAction', message } };
    }),
    enqueue: assign(({ context, event }) => {
      if (event.type !== 'ACTION') return {};
      const { action, requestedAt, stopTimeSeconds } = event;
      const grace = stopTimeSeconds === undefined ? {} : { stopTimeSeconds };
      return { queue: [...context.queue, { action, requestedAt, ...grace }] };
    }),
    dequeue: assign(({ context }) => ({ oneShot: context.queue[0] ?? null, queue: context.queue.slice(1) })),
    // Appended, not replaced: the events of the call before may still be on their way (a start's event
    // arriving after the pause that follows it is rdd's own, not a user's start).
    issue: assign(({ context }, action: EngineAction | OneShotAction) => ({
      inFlight: action,
      pendingOwnActions: [...context.pendingOwnActions, ...eventsOf[action]],
    })),
    settleSucceeded: assign(({ context }) => {
      const action = present(context.inFlight, 'action in flight');
      // Until the action's last event arrives, its result is the best knowledge of the container.
      const unseen = context.pendingOwnActions.includes(eventsOf[action].at(-1) ?? action);
      return { actual: unseen ? resultOf[action] : context.actual };
    }),
    convergeSucceeded: assign({ inFlight: null, failures: 0, lastError: null }),
    finishOneShot: assign(({ context }, outcome: { error?: string }) => finished(context, outcome.error)),
    countCrash: assign(({ context }) => ({ crashes: context.crashes + 1 })),
    forgiveCrashes: assign({ crashes: 0 }),
  },
  guards: {
    conflicts: isConflict,
    crashed: ({ context, event }) =>
      event.type === 'OBSERVED' && isCrashEvent(context.desired, event.actual, context.pendingOwnActions, event.cause),
    quietWhileSettled: (args) => !isConflict(args) && stepAfter(args) === 'nothing',
    sameStepAsFailed: (args) => !isConflict(args) && stepAfter(args) === args.context.lastError?.action,
    stillCrashed: (args) => !isConflict(args) && stepAfter(args) === 'start',
    desiredUnchanged: ({ context, event }) => event.type === 'DESIRED' && event.desired === context.desired,
    oneShotQueued: ({ context }) => context.queue.length > 0,
    stepIsNothing: ({ context }) => nextStep(context.desired, context.actual).do === 'nothing',
    stepIsWait: ({ context }) => nextStep(context.desired, context.actual).do === 'wait',
    pauseOnPaused: ({ context }) => context.oneShot?.action === 'pause' && context.actual === 'paused',
    unpauseNotRunning: ({ context }) =>
      context.oneShot?.action === 'unpause' && context.actual !== 'paused' && context.actual !== 'running',
    oneShotFights: ({ context }) => fights(context.desired, present(context.oneShot, 'one-shot action').action),
    aliveWithCrashes: ({ context }) => context.crashes > 0 && ['running', 'paused'].includes(context.actual),
  },
  delays: {
    retryDelay: ({ context }) => containerRetryDelayMs(context.failures),
    crashLoopDelay: ({ context }) => crashLoopDelayMs(context.crashes),
    crashResetDelay: crashResetMs,
  },
}).createMachine({
  id: 'container',
  context: ({ input }) => initialContainerContext(input),
  initial: 'evaluating',
  // Idle states share these; a busy state overrides them so its call is never abandoned or doubled.
  on: {
    OBSERVED: [
      { guard: 'conflicts', target: '.evaluating', actions: ['observe', 'releaseByUser', releaseDesired] },
      { guard: 'crashed', target: '.crashBackoff', actions: ['observe', 'countCrash'] },
      { target: '.evaluating', actions: 'observe' },
    ],
    DESIRED: { target: '.evaluating', actions: 'storeDesired' },
    ACTION: { target: '.evaluating', actions: 'enqueue' },
  },
  states: {
    evaluating: {
      // A user's explicit request goes first; convergence re-evaluates once it is done.
      always: [
        { guard: 'oneShotQueued', target: 'oneShot' },
        { guard: 'stepIsNothing', target: 'settled' },
        { guard: 'stepIsWait', target: 'waiting' },
        { target: 'acting' },
      ],
    },
    settled: {
      entry: reportSettled,
      after: { crashResetDelay: { guard: 'aliveWithCrashes', actions: 'forgiveCrashes' } },
      // Staying (rather than re-entering) keeps the crash-reset timer running across unrelated events.
      on: {
        OBSERVED: { guard: 'quietWhileSettled', actions: ['observe', reportSettled] },
        DESIRED: { guard: 'desiredUnchanged', actions: reportSettled },
      },
    },
    waiting: { entry: reportWaiting },
    acting: {
      entry: [{ type: 'issue', params: ({ context }) => stepActionOf(context) }, reportBusy],
      invoke: {
        ...runEngineAction,
        onDone: { target: 'evaluating', actions: ['settleSucceeded', 'convergeSucceeded'] },
        onError: {
          target: 'failed',
          actions: assign(({ context, event }) => ({
            inFlight: null,
            failures: context.failures + 1,
            lastError: { action: present(context.inFlight, 'action in flight'), message: describeError(event.error) },
            // A failed call causes nothing more: its expected events must not hide someone else's.
            pendingOwnActions: withoutCallEvents(
              context.pendingOwnActions,
              present(context.inFlight, 'action in flight'),
            ),
          })),
        },
      },
      on: busyHandlers,
    },
    failed: {
      entry: reportFailed,
      after: { retryDelay: { target: 'evaluating' } },
      on: {
        OBSERVED: { guard: 'sameStepAsFailed', actions: ['observe', reportFailed] },
        DESIRED: { guard: 'desiredUnchanged', actions: reportFailed },
      },
    },
    crashBackoff: {
      entry: reportCrashLoop,
      after: { crashLoopDelay: { target: 'evaluating' } },
      on: {
        // An oom's die, or any event that still leaves it down, keeps the backoff (and the count).
        OBSERVED: { guard: 'stillCrashed', actions: ['observe', reportCrashLoop] },
        DESIRED: { guard: 'desiredUnchanged', actions: reportCrashLoop },
      },
    },
    oneShot: {
      entry: 'dequeue',
      initial: 'deciding',
      states: {
        deciding: {
          always: [
            { guard: 'pauseOnPaused', target: 'succeeded' },
            {
              guard: 'unpauseNotRunning',
              target: '#container.evaluating',
              actions: [
                { type: 'finishOneShot', params: ({ context }) => ({ error: notRunningMessage(context.id) }) },
                reportLastAction,
              ],
            },
            { target: 'running' },
          ],
        },
        running: {
          entry: { type: 'issue', params: ({ context }) => present(context.oneShot, 'one-shot action').action },
          invoke: {
            ...runEngineAction,
            onDone: { target: 'succeeded', actions: 'settleSucceeded' },
            onError: {
              target: '#container.evaluating',
              actions: [
                assign(({ context, event }) => finished(context, describeError(event.error))),
                reportLastAction,
              ],
            },
          },
          on: busyHandlers,
        },
        succeeded: {
          // Release before re-evaluating, so convergence does not undo what the user just asked for.
          always: [
            {
              guard: 'oneShotFights',
              target: '#container.evaluating',
              actions: ['releaseByAction', releaseDesired, { type: 'finishOneShot', params: {} }, reportLastAction],
            },
            { target: '#container.evaluating', actions: [{ type: 'finishOneShot', params: {} }, reportLastAction] },
          ],
        },
      },
    },
  },
});
