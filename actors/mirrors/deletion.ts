/**
 * A user's delete of a mirror, as its owner carries it out: mark the mirror (deletionTimestamp), remove
 * the engine object, and only then remove the mirror. A refusal from the engine (an image in use) is
 * shown as `DeleteFailed` with the engine's own message and retried with backoff until it succeeds, the
 * object goes some other way, or the daemon stops. The mark survives a daemon restart: the next owner
 * resumes the delete (the Go original's finalizer, without its sweep over every mirror).
 */
import type { ConditionReport } from '../../protocol/condition.schema.js';
import { backoffMs } from '../../machines/backoff.js';

export const deleteForceAnnotation = 'containers.rancherdesktop.io/delete-force';
export const deleteRetryBackoff = { initialMs: 1_000, maxMs: 30_000 };

export interface DeletionState {
  force: boolean;
  /** When the delete was asked for: the mirror's deletionTimestamp. */
  requestedAt: string;
  failures: number;
  lastError: string | null;
}

export function startDeletion(force: boolean, requestedAt: string): DeletionState {
  return { force, requestedAt, failures: 0, lastError: null };
}

/** The deletion a stored mirror asks for, if it was marked before the daemon stopped. */
export function deletionOf(metadata: {
  deletionTimestamp?: string;
  annotations?: Record<string, string>;
}): DeletionState | null {
  if (!metadata.deletionTimestamp) return null;
  return startDeletion(metadata.annotations?.[deleteForceAnnotation] === 'true', metadata.deletionTimestamp);
}

export function failedDeletion(state: DeletionState, error: string): DeletionState {
  return { ...state, failures: state.failures + 1, lastError: error };
}

export function retryDelayMs(state: DeletionState): number {
  return backoffMs(state.failures, deleteRetryBackoff);
}

/** `DeleteFailed` while the engine refuses, for the mirror's conditions; null while none failed. */
export function deleteFailedCondition(
  state: DeletionState | null,
  what: string,
  observedGeneration: number,
): ConditionReport | null {
  if (!state?.lastError) return null;
  const seconds = Math.round(retryDelayMs(state) / 1000);
  return {
    type: 'DeleteFailed',
    status: 'True',
    reason: 'EngineRefused',
    message: `cannot delete ${what}: ${state.lastError}; retrying in ${seconds}s${state.force ? '' : ' (delete with --force to force it)'}`,
    observedGeneration,
  };
}

/** The metadata a mirror being deleted carries. */
export function markedMetadata<M extends { annotations?: Record<string, string> }>(
  metadata: M,
  state: DeletionState | null,
): M & { deletionTimestamp?: string } {
  if (!state) return metadata;
  const annotations = { ...metadata.annotations, ...(state.force ? { [deleteForceAnnotation]: 'true' } : {}) };
  return {
    ...metadata,
    deletionTimestamp: state.requestedAt,
    ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
  };
}
