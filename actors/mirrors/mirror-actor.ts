/**
 * The contract between the mirrors supervisor and the actors it runs, one per engine object: a
 * container, an image (owning one mirror per tag), a volume or a network. An actor is the only writer
 * of its mirrors; everything reaches it as a message through its mailbox.
 */
import type { Logger } from 'winston';
import { ApiError } from '../../protocol/errors.js';
import type { AttachInspection } from '../inspection/inspection.js';
import type { MirrorCommand, MirrorVerb } from '../../protocol/mirrors/commands.schema.js';
import type { Resource } from '../../protocol/resource.schema.js';
import type { MirrorStore } from './mirror-store.js';
import type { EngineClient } from '../engine/engine-client.js';

export type ObjectKind = 'Container' | 'Image' | 'Volume' | 'Network';

/** What one observation changed, for a sync's drift report. */
export interface Observed {
  created: number;
  updated: number;
  removed: number;
  /** `Kind/name` of each mirror written or removed. */
  changed: string[];
}

export const nothingObserved: Observed = { created: 0, updated: 0, removed: 0, changed: [] };

/** What the supervisor gives each actor. */
export interface MirrorActorContext {
  readonly store: MirrorStore;
  /** The engine of the current connection (it changes when the socket does). */
  readonly engine: () => EngineClient;
  readonly logger: Logger;
  /** `metadata.namespace` of every mirror. */
  readonly namespace: string;
  /** The actor now owns these mirror names (and no longer the ones it owned before), for routing commands. */
  readonly owns: (actor: MirrorActor, names: readonly string[]) => void;
  /** The engine object is gone and so are its mirrors: a normal exit, never restarted. */
  readonly exit: (actor: MirrorActor) => void;
  /** Something failed that the actor cannot handle: it is stopped and restarted with backoff. */
  readonly crash: (actor: MirrorActor, error: Error) => void;
  /** Image actors only: the tags this image now holds; another image that held one of them is re-observed. */
  readonly claimTags?: (actor: MirrorActor, tags: readonly string[]) => void;
  /** Whether the actor has deletes the engine refused, to be retried when a container goes away. */
  readonly deleting?: (actor: MirrorActor & { retryDeletes(): void }, pending: boolean) => void;
  /** Registers the actor's machine for inspection, if the daemon publishes it. */
  readonly attachInspection?: AttachInspection;
}

export interface MirrorActor {
  readonly kind: ObjectKind;
  /** The engine's key: container ID, image ID, volume name, network ID. */
  readonly key: string;
  /**
   * Re-reads the engine object and writes what changed. `cause` is the engine event's action; events
   * that arrive while an observation waits join it. Rejects when the engine call fails (the mirror is
   * kept); the actor has then already asked to be restarted with backoff.
   */
  observe(cause?: string): Promise<Observed>;
  /** A user's request, validated; `mirrorName` is the mirror it was addressed to. */
  command<V extends MirrorVerb>(verb: V, body: MirrorCommand<V>, mirrorName: string): Promise<unknown>;
  /** The mirror names it owns now (for routing users' requests). */
  ownedNames(): string[];
  /**
   * Resolves once the actor has nothing in hand: its mailbox is empty and no engine call it started
   * outside the mailbox is still running (what tests wait on, instead of counting event-loop turns).
   */
  idle(): Promise<void>;
  /** Whether {@link idle} would resolve at once. */
  readonly isIdle: boolean;
  /** Stops timers and the mailbox; resolves once the task in hand has finished (nothing is written after). */
  stop(): Promise<void>;
}

/** A failed engine or store call inside an actor, with what was being done. */
export function describeFailure(what: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${what}: ${message}`, { cause: error });
}

/**
 * Runs one of an actor's tasks. An {@link ApiError} is an answer for the requester (not found, forbidden);
 * anything else is a failure the actor cannot handle: it asks to be restarted, and the caller gets it too.
 */
export async function guarded<T>(
  actor: MirrorActor,
  context: MirrorActorContext,
  what: string,
  task: () => Promise<T>,
): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const failure = describeFailure(`${actor.kind.toLowerCase()} ${actor.key.slice(0, 64)}: failed to ${what}`, error);
    context.crash(actor, failure);
    throw failure;
  }
}

export type AnyMirror = Resource & { metadata: { name: string } };
