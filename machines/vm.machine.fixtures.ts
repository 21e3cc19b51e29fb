/** Fakes for the VM machine tests: controllable start/stop promises and a watcher the test can kill. */
import { createActor, fromCallback, fromPromise, waitFor, type EventObject } from 'xstate';
import type { VmDesired, VmReport } from '../protocol/vm-engine.schema.js';
import type {
  StartEngineInput,
  StartEngineOutput,
  StopEngineInput,
  VmMachineInput,
  WatchEngineInput,
} from './vm-context.js';
import { vmMachine } from './vm.machine.js';

export interface PendingStart {
  input: StartEngineInput;
  signal: AbortSignal;
  resolve: (output: StartEngineOutput) => void;
  reject: (error: Error) => void;
}
export interface PendingStop {
  input: StopEngineInput;
  resolve: () => void;
  reject: (error: Error) => void;
}
export interface Watch {
  input: WatchEngineInput;
  die: (message: string) => void;
  cleanedUp: boolean;
}

export type VmState =
  'waitingForDesired' | 'stopped' | 'starting' | 'started' | 'stopping' | 'startFailed' | 'stopFailed' | 'restarting';

export const SOCKET = '/run/rdd/docker.sock';
export const LONG = 60_000;

export function desired(generation: number, running: boolean, overrides: Partial<VmDesired> = {}): VmDesired {
  return {
    generation,
    running,
    driver: 'dockerd',
    engine: 'moby',
    socket: '',
    kubernetes: { enabled: false, version: '' },
    ...overrides,
  };
}

export function output(fingerprint: string | null = 'fp-1'): StartEngineOutput {
  return { socket: SOCKET, pid: 42, adopted: false, fingerprint };
}

const actors: { stop(): void }[] = [];

/** Stops every VM machine `startVm` created (call it in afterEach: delayed transitions hold timers). */
export function stopVms(): void {
  actors.splice(0).forEach((actor) => actor.stop());
}

/** A VM machine with controllable fakes; `delayMs` is what retryDelay and restartDelay wait. */
export function startVm(delayMs = LONG, input?: VmMachineInput) {
  const starts: PendingStart[] = [];
  const stops: PendingStop[] = [];
  const watches: Watch[] = [];
  const reports: VmReport[] = [];
  const machine = vmMachine.provide({
    actors: {
      startEngine: fromPromise<StartEngineOutput, StartEngineInput>(
        ({ input, signal }) => new Promise((resolve, reject) => starts.push({ input, signal, resolve, reject })),
      ),
      stopEngine: fromPromise<void, StopEngineInput>(
        ({ input }) => new Promise<void>((resolve, reject) => stops.push({ input, resolve: () => resolve(), reject })),
      ),
      watchEngine: fromCallback<EventObject, WatchEngineInput>(({ input, sendBack }) => {
        const watch: Watch = { input, die: (message) => sendBack({ type: 'ENGINE_DIED', message }), cleanedUp: false };
        watches.push(watch);
        return () => {
          watch.cleanedUp = true;
        };
      }),
    },
    actions: { report: (_, report) => void reports.push(report) },
    delays: { retryDelay: delayMs, restartDelay: delayMs },
  });
  const actor = createActor(machine, { input }).start();
  actors.push(actor);
  const send = (value: VmDesired, fingerprint: string | null = 'fp-1') =>
    actor.send({ type: 'DESIRED', desired: value, fingerprint });
  const state = () => actor.getSnapshot().value;
  const reach = (value: VmState) => waitFor(actor, (snapshot) => snapshot.matches(value));
  return { actor, starts, stops, watches, reports, send, state, reach, last: () => reports.at(-1) };
}

export type Vm = ReturnType<typeof startVm>;

/** Drives a fresh VM machine into each state, at generation 1 or 2. */
export const arrive: Record<VmState, (vm: Vm) => Promise<unknown>> = {
  waitingForDesired: () => Promise.resolve(),
  stopped: async (vm) => {
    vm.send(desired(1, false));
    vm.stops[0]!.resolve();
    await vm.reach('stopped');
  },
  starting: async (vm) => {
    vm.send(desired(1, true));
    await vm.reach('starting');
  },
  started: async (vm) => {
    vm.send(desired(1, true));
    vm.starts[0]!.resolve(output());
    await vm.reach('started');
  },
  stopping: async (vm) => {
    await arrive.started(vm);
    vm.send(desired(2, false));
  },
  startFailed: async (vm) => {
    vm.send(desired(1, true));
    vm.starts[0]!.reject(new Error('boom'));
    await vm.reach('startFailed');
  },
  stopFailed: async (vm) => {
    vm.send(desired(1, false));
    vm.stops[0]!.reject(new Error('busy'));
    await vm.reach('stopFailed');
  },
  restarting: async (vm) => {
    await arrive.started(vm);
    vm.watches[0]!.die('oops');
    await vm.reach('restarting');
  },
};
