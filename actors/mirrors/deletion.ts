/**
 * A user's delete of a mirror, as its owner carries it out: mark the mirror (deletionTimestamp), remove
 * the engine object, and only then remove the mirror. A refusal from the engine (an image a container
 * uses, a volume mounted, a network with endpoints) is answered at once and shown on the mirror as
 * `DeleteFailed` (reason `InUse`, the engine's message and the containers that hold the object); the
 * owner retries with backoff, and at once when a container goes away, until it succeeds, the object goes
 * some other way, or the daemon stops. The mark survives a daemon restart: the next owner resumes the
 * delete (the Go original's finalizer, without its sweep over every mirror).
 *
 * The finalizer `engine.rancherdesktop.io/mirror` is on every mirror whose engine object rdd may delete,
 * always, not only while a delete is pending: the Go original puts it on each mirror it syncs and keeps
 * it until the engine has let go, so its presence says "deleting this mirror removes the engine object
 * first". rdd's store enforces no finalizers (the owner is the only writer, and removes the mirror
 * itself once the engine object is gone), so here it is that promise written where kubectl users look
 * for it, and a pending delete changes only the deletionTimestamp and the condition. A predefined
 * network, which rdd never deletes, carries none.
 */
import type { ConditionReport } from '../../protocol/condition.schema.js';
import { explainRefusal, type DeleteRefusal, type Holder } from '../../protocol/mirrors/commands.schema.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { backoffMs } from '../../machines/backoff.js';
import { engineMessage, engineStatusCode } from '../engine/engine-client.js';

export const deleteForceAnnotation = 'containers.rancherdesktop.io/delete-force';
export const mirrorFinalizer = 'engine.rancherdesktop.io/mirror';
export const deleteRetryBackoff = { initialMs: 1_000, maxMs: 30_000 };

export interface DeletionState {
  force: boolean;
  /** When the delete was asked for: the mirror's deletionTimestamp. */
  requestedAt: string;
  failures: number;
  /** Why the engine did not remove the object on the last attempt; null before any failed. */
  refusal: DeleteRefusal | null;
}

export function startDeletion(force: boolean, requestedAt: string): DeletionState {
  return { force, requestedAt, failures: 0, refusal: null };
}

/** The deletion a stored mirror asks for, if it was marked before the daemon stopped. */
export function deletionOf(metadata: {
  deletionTimestamp?: string;
  annotations?: Record<string, string>;
}): DeletionState | null {
  if (!metadata.deletionTimestamp) return null;
  return startDeletion(metadata.annotations?.[deleteForceAnnotation] === 'true', metadata.deletionTimestamp);
}

export function failedDeletion(state: DeletionState, refusal: DeleteRefusal): DeletionState {
  return { ...state, failures: state.failures + 1, refusal };
}

/**
 * What a failed engine remove means. Docker answers 409 (an image or volume in use) or 403 (a network
 * with endpoints) when something holds the object; anything else is a failed call, and names no holders.
 */
export function refusalOf(
  object: string,
  error: unknown,
  holders: readonly Holder[],
  forceRemoves: boolean,
): DeleteRefusal {
  const status = engineStatusCode(error);
  const inUse = status === 409 || status === 403;
  return {
    object,
    reason: inUse ? 'InUse' : 'EngineError',
    engineMessage: engineMessage(error),
    heldBy: inUse ? [...holders] : [],
    forceRemoves: inUse && forceRemoves,
  };
}

/**
 * The containers, from their mirrors, that hold an object: those `uses` says hold it, and those the
 * engine's refusal names (Docker names a volume's users by full ID, an image's by short ID).
 */
export function holdersOf(
  containers: readonly Container[],
  refusalMessage: string,
  uses: (container: Container) => boolean,
): Holder[] {
  return containers
    .filter((container) => uses(container) || refusalMessage.includes(container.metadata.name.slice(0, 12)))
    .map((container) => ({ name: container.status.name, id: container.metadata.name.slice(0, 12) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function retryDelayMs(state: DeletionState): number {
  return backoffMs(state.failures, deleteRetryBackoff);
}

/** `DeleteFailed` while the engine refuses, for the mirror's conditions; null while none failed. */
export function deleteFailedCondition(state: DeletionState | null, observedGeneration: number): ConditionReport | null {
  if (!state?.refusal) return null;
  const seconds = Math.round(retryDelayMs(state) / 1000);
  return {
    type: 'DeleteFailed',
    status: 'True',
    reason: state.refusal.reason,
    message: [...explainRefusal(state.refusal), `next attempt in ${seconds}s`].join('; '),
    observedGeneration,
  };
}

/**
 * The metadata a mirror carries as its owner writes it: the finalizer while rdd may delete the object
 * (see the header), and the deletion mark while a delete is pending.
 */
export function markedMetadata<M extends { annotations?: Record<string, string> }>(
  metadata: M,
  state: DeletionState | null,
  deletable = true,
): M & { deletionTimestamp?: string; finalizers?: string[] } {
  const finalized = deletable ? { ...metadata, finalizers: [mirrorFinalizer] } : metadata;
  if (!state) return finalized;
  const annotations = { ...metadata.annotations, ...(state.force ? { [deleteForceAnnotation]: 'true' } : {}) };
  return {
    ...finalized,
    deletionTimestamp: state.requestedAt,
    ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
  };
}
