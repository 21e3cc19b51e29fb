/**
 * The engine-connection machine's context, events and actor contracts, and the pure helpers that build
 * its conditions: kept apart from `engine-connection.machine.ts` so the machine reads as its table.
 */
import type { EngineDesired, EngineReport } from '../protocol/vm-engine.schema.js';
import type { Backoff } from './backoff.js';

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

export type EngineCondition = Pick<EngineReport, 'status' | 'reason' | 'message'>;

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

export const defaultReconnectBackoff: Backoff = { initialMs: 500, maxMs: 30_000, jitter: 0.25 };
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
export function idleConditionFor(desired: EngineDesired | null): EngineCondition {
  if (desired?.engine === 'containerd') {
    return { status: 'True', reason: 'NotApplicable', message: engineNotApplicableMessage };
  }
  if (desired?.retainMirrors) return { status: 'False', reason: 'WaitingForVM', message: engineWaitingMessage };
  return { status: 'False', reason: 'Stopped', message: engineStoppedMessage };
}

/** Wanted means mirrored, which only moby supports: a containerd engine is never connected to. */
export function isWanted(desired: EngineDesired): boolean {
  return desired.wanted && desired.engine === 'moby';
}

/**
 * The condition while connected: a silent engine outranks the sync, since nothing it reports can be
 * trusted to be current while it does not answer.
 */
export function connectedConditionFor(context: EngineConnectionContext): EngineCondition {
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

export function socketOf(context: EngineConnectionContext): string {
  if (!context.desired) throw new Error('the engine-connection machine has no desired state in a state that needs one');
  return context.desired.socket;
}
