/**
 * The pure pieces the VM machine's transitions are made of (`vm.machine.ts` wires them by name): the
 * guards' questions about a DESIRED and the context update each state makes on entry. Split from the
 * machine so its file reads as the transition table.
 */
import { assertEvent } from 'xstate';
import {
  desiredOf,
  messageOf,
  restartDelayMs,
  restartNeeded,
  retryDelayMs,
  vmConditions,
  type VmMachineContext,
  type VmMachineEvent,
} from './vm-context.js';
import { startNeedsUser } from './vm-start-failure.js';

type Ctx = { context: VmMachineContext };
type Args = Ctx & { event: VmMachineEvent };
type Update = Partial<VmMachineContext>;

type Desired = Extract<VmMachineEvent, { type: 'DESIRED' }>;

/** Whether `context`'s engine must restart to become what `event` desires. */
function changesConfig(context: VmMachineContext, event: Desired): boolean {
  return restartNeeded(context.startedWith, context.runningFingerprint, event.desired, event.fingerprint);
}

export const vmGuards = {
  wantsRunning: ({ event }: Args) => event.type === 'DESIRED' && event.desired.running,
  wantsStopped: ({ event }: Args) => event.type === 'DESIRED' && !event.desired.running,
  wantsRestart: ({ context, event }: Args) => {
    assertEvent(event, 'DESIRED');
    return event.desired.running && changesConfig(context, event);
  },
  keepsConfig: ({ context, event }: Args) => {
    assertEvent(event, 'DESIRED');
    return event.desired.running && !changesConfig(context, event);
  },
  // A new generation may be the fix; after a failure that waits for the user, any nudge is the retry.
  retryNow: ({ context, event }: Args) => {
    assertEvent(event, 'DESIRED');
    return event.desired.running && (event.desired.generation !== context.generation || context.waitsForUser);
  },
  sameGenerationRunning: ({ context, event }: Args) => {
    assertEvent(event, 'DESIRED');
    return event.desired.running && event.desired.generation === context.generation;
  },
  retriesBySelf: ({ context }: Ctx) => !context.waitsForUser,
  desiredRunning: ({ context }: Ctx) => context.desired?.running === true,
  desiredStopped: ({ context }: Ctx) => context.desired?.running !== true,
};

export function storeDesired({ context, event }: Args): Update {
  assertEvent(event, 'DESIRED');
  return {
    desired: event.desired,
    fingerprint: event.fingerprint,
    generation: event.desired.generation,
    // Nothing is being applied once the App no longer wants the VM running.
    applyingTemplate: context.applyingTemplate && event.desired.running,
  };
}

export const enterStarting = ({ context }: Ctx): Update => ({
  startedWith: desiredOf(context),
  condition: vmConditions.starting(desiredOf(context).driver),
});

export const enterStarted = ({ context }: Ctx): Update => ({
  attempts: 0,
  applyingTemplate: false,
  condition: vmConditions.started((context.startedWith ?? desiredOf(context)).driver, context.socket ?? ''),
});

export const enterStopping = ({ context }: Ctx): Update => ({
  // A deliberate stop ends a crash loop: the next start begins its backoff afresh.
  restarts: 0,
  attempts: 0,
  condition: vmConditions.stopping((context.startedWith ?? desiredOf(context)).driver),
});

export const enterStopped = ({ context }: Ctx): Update => ({
  startedWith: null,
  runningFingerprint: null,
  socket: null,
  enginePid: null,
  applyingTemplate: false,
  condition: vmConditions.stopped((context.startedWith ?? context.desired)?.driver),
});

export const enterStartFailed = ({ context }: Ctx): Update => ({
  applyingTemplate: false,
  condition: context.waitsForUser
    ? vmConditions.startFailedForGood(context.lastError ?? 'the start failed')
    : vmConditions.startFailed(context.lastError ?? 'the start failed', retryDelayMs(context)),
});

export const enterStopFailed = ({ context }: Ctx): Update => ({
  applyingTemplate: false,
  condition: vmConditions.stopFailed(context.lastError ?? 'the stop failed'),
});

export const enterRestarting = ({ context }: Ctx): Update => ({
  condition: vmConditions.restarting(context.lastError ?? 'no reason given', restartDelayMs(context), context.restarts),
});

/** A failed start: counted, and whether it can succeed by itself decides if the retry timer runs. */
export const startFailed = (context: VmMachineContext, error: unknown): Update => ({
  attempts: context.attempts + 1,
  lastError: messageOf(error),
  waitsForUser: startNeedsUser(error),
});
