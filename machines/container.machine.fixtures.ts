/** Fakes for the container machine tests: an engine whose calls the test settles, and recorded reports. */
import { createActor, fromPromise, waitFor, type AnyActorRef } from 'xstate';
import type { ActualState, DesiredState, ObservedCause, OneShotAction } from './container-matrix.js';
import type { ContainerStateReport, LastAction, Release } from './container-context.js';
import type { RunEngineActionInput } from './container-context.js';
import { containerMachine } from './container.machine.js';

export interface EngineCall {
  input: RunEngineActionInput;
  resolve: () => void;
  reject: (error: Error) => void;
  /** The machine's invoked call, a child of the machine until the machine has handled how it ended. */
  ref: AnyActorRef;
  /** Whether the test has resolved or rejected it. */
  settled: boolean;
}

export const ID = 'c1';
export const REQUESTED_AT = '2026-05-01T10:00:00.000Z';
export const LONG = 600_000;

type Delays = Partial<Record<'retryDelay' | 'crashLoopDelay' | 'crashResetDelay', number>>;

const actors: { stop(): void }[] = [];

/** Stops every machine `startContainer` created (call it in afterEach: delayed transitions hold timers). */
export function stopContainers(): void {
  actors.splice(0).forEach((actor) => actor.stop());
}

/**
 * Starts a container machine with a fake engine. Delays default to LONG so nothing fires by itself;
 * pass `'machine'` to keep the machine's own delays (for tests with jest fake timers).
 */
export function startContainer(desired: DesiredState, actual: ActualState, delays: Delays | 'machine' = {}) {
  const calls: EngineCall[] = [];
  const reports: ContainerStateReport[] = [];
  const lastActions: LastAction[] = [];
  const releases: Release[] = [];
  const machine = containerMachine.provide({
    actors: {
      runEngineAction: fromPromise<void, RunEngineActionInput>(
        ({ input, self }) =>
          new Promise((resolve, reject) => {
            const call: EngineCall = {
              input,
              ref: self,
              settled: false,
              resolve: () => {
                call.settled = true;
                resolve();
              },
              reject: (error) => {
                call.settled = true;
                reject(error);
              },
            };
            calls.push(call);
          }),
      ),
    },
    actions: {
      reportState: (_, report) => void reports.push(report),
      reportLastAction: (_, lastAction) => void lastActions.push(lastAction),
      releaseDesired: (_, release) => void releases.push(release),
    },
    ...(delays === 'machine'
      ? {}
      : {
          delays: {
            retryDelay: delays.retryDelay ?? LONG,
            crashLoopDelay: delays.crashLoopDelay ?? LONG,
            crashResetDelay: delays.crashResetDelay ?? LONG,
          },
        }),
  });
  const actor = createActor(machine, { input: { id: ID, desired, generation: 1, actual } }).start();
  actors.push(actor);
  return {
    actor,
    calls,
    reports,
    lastActions,
    releases,
    observe: (next: ActualState, cause?: ObservedCause) =>
      actor.send(cause ? { type: 'OBSERVED', actual: next, cause } : { type: 'OBSERVED', actual: next }),
    desire: (next: DesiredState) => actor.send({ type: 'DESIRED', desired: next }),
    request: (action: OneShotAction) => actor.send({ type: 'ACTION', action, requestedAt: REQUESTED_AT }),
    /** Waits until the machine has asked the engine for `count` calls in all. */
    callsReach: (count: number) => waitFor(actor, () => calls.length >= count),
    /**
     * Waits until the machine has handled every engine call the test settled: each is no longer one of
     * its children (no timer, so it works under fake timers too).
     */
    callsHandled: () =>
      waitFor(actor, (snapshot) => {
        const running = Object.values(snapshot.children);
        return calls.every((call) => !call.settled || !running.includes(call.ref));
      }),
    last: () => reports.at(-1),
    context: () => actor.getSnapshot().context,
    state: () => actor.getSnapshot().value,
  };
}

export type Container = ReturnType<typeof startContainer>;

/** An engine event done outside rdd. */
export const byUser = (action: string) => ({ action, byRdd: false });
