/**
 * How an owning actor writes its mirrors: nothing when only `observedAt` would change (no revision
 * churn), create when new, compare-and-swap on the revision it last wrote otherwise. A CAS conflict
 * means someone else wrote the key (a bug or a second daemon): it is logged and the write is redone on
 * the current revision, because the owner's view of the engine is the truth for a mirror. So is a
 * stored value that is not a valid mirror: it is written over at its revision.
 */
import type { Logger } from 'winston';
import { ConflictError, NotFoundError } from '../../protocol/errors.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { InvalidStoredValueError } from '../../client/store.js';
import type { MirrorStore } from './mirror-store.js';
import { sameMirrorContent } from './same-mirror-content.js';

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/** Store keys (`Kind.name`) found invalid by a sync, per store: written next time even if unchanged. */
const invalidKeys = new WeakMap<MirrorStore, Set<string>>();

/**
 * The value under `key` was found invalid: the owner's next write must not take its own copy for
 * what is stored (and skip the write as unchanged).
 */
export function rewriteOnNextWrite(store: MirrorStore, key: string): void {
  const keys = invalidKeys.get(store) ?? new Set<string>();
  keys.add(key);
  invalidKeys.set(store, keys);
}

/** The invalid value under `key` went away without a write (nobody owned it). */
export function forgetRewrite(store: MirrorStore, key: string): void {
  invalidKeys.get(store)?.delete(key);
}

/** Store keys (`Kind.name`) a sync found deleted, per store, with their delete markers' revisions. */
const deletedKeys = new WeakMap<MirrorStore, Map<string, number>>();

/**
 * The keys a sync's listing found deleted (`Kind.name` → the marker's revision), until
 * {@link forgetDeletions}: a first write of one of them is one compare-and-swap on its marker.
 */
export function rememberDeletions(store: MirrorStore, deleted: ReadonlyMap<string, number>): void {
  deletedKeys.set(store, new Map(deleted));
}

/** The sync is over: later writes find out for themselves (the markers may have moved on). */
export function forgetDeletions(store: MirrorStore): void {
  deletedKeys.delete(store);
}

export interface Written<R extends Resource> {
  mirror: R;
  outcome: WriteOutcome;
}

/**
 * Writes `next` given `previous`, the mirror as the owner last read or wrote it (with its
 * resourceVersion), or null when the owner knows of none. Keeps `creationTimestamp` from `previous`.
 */
export async function writeMirror<R extends Resource>(
  store: MirrorStore,
  previous: R | null,
  next: R,
  logger: Logger,
): Promise<Written<R>> {
  const key = `${next.kind}.${next.metadata.name}`;
  const rewrite = invalidKeys.get(store)?.delete(key) ?? false;
  if (previous && !rewrite && sameMirrorContent(previous, withCreation(next, previous))) {
    return { mirror: previous, outcome: 'unchanged' };
  }
  try {
    if (!previous) {
      const created = { ...next, metadata: { ...next.metadata, creationTimestamp: new Date().toISOString() } };
      // Taken once: a retry after a conflict must not reuse a marker that has moved on.
      const deletedAt = deletedKeys.get(store)?.get(key);
      if (deletedAt === undefined) return { mirror: await store.create(created), outcome: 'created' };
      deletedKeys.get(store)?.delete(key);
      return { mirror: await store.create(created, { deletedAt }), outcome: 'created' };
    }
    const update = withCreation(next, previous);
    const updated = await store.update({
      ...update,
      metadata: { ...update.metadata, resourceVersion: previous.metadata.resourceVersion },
    });
    return { mirror: updated, outcome: 'updated' };
  } catch (error) {
    if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
    // Someone else wrote (or removed) the key since: take the current revision and write again.
    logger.warn(`${next.kind}/${next.metadata.name}: ${error.message}; rewriting from the current revision`);
    const current = await store.get<R>(next.kind, next.metadata.name).catch(async (readError: unknown) => {
      if (!(readError instanceof InvalidStoredValueError)) throw readError;
      // Nothing can be kept from an invalid value; the owner's own copy still knows when it was created.
      const created = previous
        ? withCreation(next, previous)
        : { ...next, metadata: { ...next.metadata, creationTimestamp: new Date().toISOString() } };
      return {
        replaced: await store.update({
          ...created,
          metadata: { ...created.metadata, resourceVersion: String(readError.revision) },
        }),
      };
    });
    if (current && 'replaced' in current) return { mirror: current.replaced, outcome: 'updated' };
    if (current && sameMirrorContent(current, withCreation(next, current)))
      return { mirror: current, outcome: 'unchanged' };
    if (!current) return writeMirror(store, null, next, logger);
    const update = withCreation(next, current);
    const mirror = await store.update({
      ...update,
      metadata: { ...update.metadata, resourceVersion: current.metadata.resourceVersion },
    });
    return { mirror, outcome: 'updated' };
  }
}

/** Deletes a mirror; already gone is fine (an engine-side delete and a user's can cross). */
export async function removeMirror(store: MirrorStore, kind: string, name: string): Promise<void> {
  await store.delete(kind, name);
}

function withCreation<R extends Resource>(next: R, previous: R): R {
  const creationTimestamp = previous.metadata.creationTimestamp;
  return creationTimestamp === undefined ? next : { ...next, metadata: { ...next.metadata, creationTimestamp } };
}
