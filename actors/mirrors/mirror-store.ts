/**
 * The part of the resource store the mirror actors use: the seam where unit tests wrap the real store
 * on a test nats-server (nats-store.fixtures.ts) to record and inject failures.
 */
import { InvalidStoredValueError, type ResourceStore } from '../../client/store.js';

export type MirrorStore = Pick<ResourceStore, 'get' | 'list' | 'create' | 'update' | 'delete'>;

/**
 * For `.catch` after a read: a stored mirror that is not valid (a hand edit, an older rdd) is rdd's own
 * copy of the engine gone bad, so it counts as absent and the engine's view is written over it. The
 * store's reporter has already counted and logged it.
 */
export function absentIfInvalid(error: unknown): null {
  if (error instanceof InvalidStoredValueError) return null;
  throw error;
}
