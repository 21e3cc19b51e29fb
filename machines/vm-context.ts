/**
 * The VM machine's context, events and actor contracts, and the pure helpers that build its reports:
 * kept apart from `vm.machine.ts` so the machine file reads as the transition table it is.
 */
import type { VmDesired, VmReport } from '../protocol/vm-engine.schema.js';
import { backoffMs, formatSeconds, type Backoff } from './backoff.js';

export interface StartEngineInput {
  desired: VmDesired;
}
export interface StartEngineOutput {
  socket: string;
  pid?: number;
  /** True when the start took over an engine a previous daemon left running. */
  adopted: boolean;
  /** The template fingerprint of what runs, computed like the DESIRED event's. */
  fingerprint: string | null;
}
export interface StopEngineInput {
  /** The config the engine was started with (not necessarily the latest desired). */
  desired: VmDesired;
}
export interface WatchEngineInput {
  socket: string;
  pid?: number;
}

export type VmMachineEvent =
  /** `fingerprint` is the driver's template fingerprint for `desired` (null: nothing needs a restart). */
  | { type: 'DESIRED'; desired: VmDesired; fingerprint: string | null }
  /** Sent by `watchEngine` when the engine dies by itself. */
  | { type: 'ENGINE_DIED'; message: string };

/** Optional: the machine runs with defaults when created without input. */
export interface VmMachineInput {
  /** Backoff of the retries after a failed start and of the restarts after a death (default 1 s → 30 s). */
  backoff?: Backoff;
}

export type VmCondition = Pick<VmReport, 'status' | 'reason' | 'message'>;

export interface VmMachineContext {
  /** The latest desired config; null until the first DESIRED. */
  desired: VmDesired | null;
  /** The driver's fingerprint for `desired`. */
  fingerprint: string | null;
  /** The config the current (or last) start used: a stop stops that, and a change from it restarts. */
  startedWith: VmDesired | null;
  /** The fingerprint the running engine was started with. */
  runningFingerprint: string | null;
  socket: string | null;
  enginePid: number | null;
  /** Deaths since the last deliberate stop; drives restartDelay. */
  restarts: number;
  /** Consecutive failed starts; drives retryDelay. */
  attempts: number;
  lastError: string | null;
  /** The last failed start cannot succeed by itself (vm-start-failure.ts): no retry until a DESIRED. */
  waitsForUser: boolean;
  /** The latest desired generation: every report carries it. */
  generation: number;
  condition: VmCondition;
  applyingTemplate: boolean;
  backoff: Backoff;
}

export const defaultVmBackoff: Backoff = { initialMs: 1000, maxMs: 30_000 };

/** The latest desired config, in states that can only be reached after a DESIRED. */
export function desiredOf(context: VmMachineContext): VmDesired {
  if (!context.desired) throw new Error('the VM machine has no desired config in a state that needs one');
  return context.desired;
}

/**
 * Whether an engine started with `startedWith`/`runningFingerprint` must restart to become
 * `desired`: a changed template fingerprint or driver, or another socket for the external driver.
 */
export function restartNeeded(
  startedWith: VmDesired | null,
  runningFingerprint: string | null,
  desired: VmDesired,
  fingerprint: string | null,
): boolean {
  if (!startedWith) return false;
  return (
    runningFingerprint !== fingerprint ||
    startedWith.driver !== desired.driver ||
    // The external driver's "start" attaches to this socket: another socket is another engine.
    (desired.driver === 'external' && startedWith.socket !== desired.socket)
  );
}

/** The report for the current context: the condition stamped with the latest desired generation. */
export function vmReportOf({ context }: { context: VmMachineContext }): VmReport {
  return {
    observedGeneration: context.generation,
    ...context.condition,
    applyingTemplate: context.applyingTemplate,
    restarts: context.restarts,
    ...(context.socket === null ? {} : { socket: context.socket }),
    ...(context.enginePid === null ? {} : { enginePid: context.enginePid }),
  };
}

/** The context before the first DESIRED. */
export function initialVmContext(input: VmMachineInput | void): VmMachineContext {
  return {
    desired: null,
    fingerprint: null,
    startedWith: null,
    runningFingerprint: null,
    socket: null,
    enginePid: null,
    restarts: 0,
    attempts: 0,
    lastError: null,
    waitsForUser: false,
    generation: 0,
    // Never reported: the first report comes from the state the first DESIRED leads to.
    condition: { status: 'Unknown', reason: 'Pending', message: 'waiting for the desired state' },
    applyingTemplate: false,
    backoff: input?.backoff ?? defaultVmBackoff,
  };
}

/**
 * What a driver runs, in the words a user knows it by: Lima runs a VM; the dockerd driver and an
 * external socket are an engine on this machine, not a VM.
 */
export function engineHostName(driver: string): string {
  if (driver === 'lima') return 'the Lima VM';
  if (driver === 'dockerd' || driver === 'external') return `the ${driver} engine`;
  return 'the engine';
}

/** The `Running` condition of each VM machine state, with the messages users read. */
export const vmConditions = {
  starting: (driver: string): VmCondition => ({
    status: 'False',
    reason: 'Starting',
    message: `starting ${engineHostName(driver)}`,
  }),
  started: (driver: string, socket: string): VmCondition => ({
    status: 'True',
    reason: 'Started',
    message:
      driver === 'lima'
        ? `${engineHostName(driver)} is running; engine at ${socket}`
        : `${engineHostName(driver)} is running at ${socket}`,
  }),
  stopping: (driver: string): VmCondition => ({
    status: 'False',
    reason: 'Stopping',
    message: `stopping ${engineHostName(driver)}`,
  }),
  stopped: (driver: string | undefined): VmCondition => ({
    status: 'False',
    reason: 'Stopped',
    message: driver ? `${engineHostName(driver)} is stopped` : 'stopped',
  }),
  startFailed: (cause: string, retryInMs: number): VmCondition => ({
    status: 'False',
    reason: 'StartFailed',
    message: `${cause} (retrying in ${formatSeconds(retryInMs)})`,
  }),
  startFailedForGood: (cause: string): VmCondition => ({
    status: 'False',
    reason: 'StartFailed',
    message: `${cause} (not retrying: this cannot change by itself; fix it, then run rdd start or rdd set)`,
  }),
  stopFailed: (cause: string): VmCondition => ({ status: 'False', reason: 'StopFailed', message: cause }),
  // Still Starting (the App wants it running and it will be), but the message says why it is not up.
  restarting: (cause: string, restartInMs: number, restarts: number): VmCondition => ({
    status: 'False',
    reason: 'Starting',
    message: `the engine died (${cause}); restarting in ${formatSeconds(restartInMs)} (restart ${restarts})`,
  }),
};

/** The delay before the next start after `attempts` consecutive failures. */
export function retryDelayMs(context: VmMachineContext): number {
  return backoffMs(context.attempts, context.backoff);
}

/** The delay before the restart after `restarts` deaths. */
export function restartDelayMs(context: VmMachineContext): number {
  return backoffMs(context.restarts, context.backoff);
}

/** What an error says, for a condition message. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the context keeps of an engine that started. */
export function runningEngineOf(output: StartEngineOutput): Partial<VmMachineContext> {
  return { socket: output.socket, enginePid: output.pid ?? null, runningFingerprint: output.fingerprint };
}

/** Forgets the engine once it is stopped or dead. */
export function noRunningEngine(): Partial<VmMachineContext> {
  return { socket: null, enginePid: null, runningFingerprint: null };
}
