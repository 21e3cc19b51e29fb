/**
 * Typed access to an instance's resources in JetStream KV: reads that leave nothing on the server,
 * watches, and compare-and-swap writes (a resource's `metadata.resourceVersion` is its KV revision, so a
 * second writer is detected, never merged). This class checks only a stored value's shape, and loads
 * no schema: it is what the CLI reads with (client/README.md). The daemon uses client/store.ts's
 * ResourceStore, the same store with every value validated whole.
 *
 * Nothing read back is trusted: `get` throws {@link InvalidStoredValueError} for a value that fails
 * the check (naming the key and the first issue); `list` and `watch` leave it out, as if absent, and
 * tell the store's reporter ({@link ShapeCheckedStore.onInvalidValue}), so one bad value never takes a
 * whole listing down.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { ConflictError, NotFoundError, wrapError } from '../protocol/api-error.js';
import type { Resource, WatchEvent } from '../protocol/resource.schema.js';
import { resourceBucket, resourceKey } from '../protocol/subjects.js';
import { latestEntries, watchEntries, type StoredEntry } from './store-reads.js';
import {
  checkShape,
  decodeWith,
  encode,
  InvalidStoredValueError,
  keyOf,
  tombstone,
  withRevision,
  type EntryToDecode,
} from './stored-value.js';

/** JetStream's "wrong last sequence" API error: the CAS precondition failed. */
const wrongLastSequence = 10071;

export interface WatchOptions {
  kind?: string;
  name?: string;
  /** Resume after a disconnect: deliver changes from this revision on (no initial values). */
  fromRevision?: number;
  /** Called once the initial values have all been delivered (not called when resuming). */
  onSynced?: () => void;
  /** Also told about each invalid value this watch leaves out (besides the store's reporter). */
  onInvalid?: InvalidValueReporter;
}

/** `onDeleted` is told each key of the kind whose latest entry is a delete marker, with its revision. */
export type ListOptions = Pick<WatchOptions, 'onInvalid'> & { onDeleted?: (name: string, revision: number) => void };
/** `deletedAt`: the revision of the key's delete marker (from a listing); the create is a CAS on it. */
export type CreateOptions = { deletedAt?: number };

/** Told about every invalid value a read came across (a `get` also throws it). */
export type InvalidValueReporter = (invalid: InvalidStoredValueError) => void;

export class ShapeCheckedStore {
  private reportInvalid: InvalidValueReporter = () => {};

  /** Use {@link ShapeCheckedStore.open}, or the subclass's. */
  constructor(
    private readonly kv: KV,
    private readonly nc: NatsConnection,
    private readonly bucket: string,
  ) {}

  /** How a stored value is checked: its shape here; client/store.ts's ResourceStore checks it whole. */
  protected decode<R extends Resource>(entry: EntryToDecode): R | InvalidStoredValueError {
    return decodeWith<R>(entry, checkShape);
  }

  /** Where invalid values go: the daemon counts and logs them, the CLI warns on stderr. */
  onInvalidValue(reporter: InvalidValueReporter): void {
    this.reportInvalid = reporter;
  }

  /** Opens the instance's bucket, creating it (file storage) when `create` is set. */
  static async open<S extends ShapeCheckedStore>(
    this: new (kv: KV, nc: NatsConnection, bucket: string) => S,
    nc: NatsConnection,
    instance: string,
    { create = false } = {},
  ): Promise<S> {
    const kvm = new Kvm(nc);
    const bucket = resourceBucket(instance);
    try {
      const kv = create ? await kvm.create(bucket, { storage: 'file', history: 5 }) : await kvm.open(bucket);
      return new this(kv, nc, bucket);
    } catch (error) {
      throw wrapError(`open the resource bucket ${bucket}`, error);
    }
  }

  async get<R extends Resource>(kind: string, name: string): Promise<R | null> {
    const entry = await this.kv.get(resourceKey(kind, name));
    if (!entry || entry.operation !== 'PUT') return null;
    const decoded = this.decode<R>(entry);
    if (decoded instanceof InvalidStoredValueError) {
      this.reportInvalid(decoded);
      throw decoded;
    }
    return decoded;
  }

  /**
   * Every resource of `kind`, sorted by name. A listing leaves nothing on the server: few keys are
   * read one direct get each, many through one consumer that is deleted once they are in.
   */
  async list<R extends Resource>(kind: string, { onInvalid, onDeleted }: ListOptions = {}): Promise<R[]> {
    const found: R[] = [];
    for (const entry of await latestEntries(this.kv, this.nc, this.bucket, resourceKey(kind, '>'))) {
      if (entry.operation !== 'PUT') {
        onDeleted?.(entry.key.slice(entry.key.indexOf('.') + 1), entry.revision);
        continue;
      }
      const object = this.decode<R>(entry);
      if (object instanceof InvalidStoredValueError) {
        this.reportInvalid(object);
        onInvalid?.(object);
      } else found.push(object);
    }
    const name = (resource: R): string => resource.metadata.name;
    return found.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  }

  /**
   * Stores a new resource; a Conflict if one with that kind and name exists (or, with `deletedAt`, if
   * anything was written since that delete: one write, where kv.create of a deleted key costs three).
   */
  async create<R extends Resource>(resource: R, { deletedAt }: CreateOptions = {}): Promise<R> {
    const key = keyOf(resource);
    const data = encode(resource);
    try {
      const revision = await (deletedAt ? this.kv.update(key, data, deletedAt) : this.kv.create(key, data));
      return withRevision(resource, revision);
    } catch (error) {
      throw asConflict(
        error,
        `${key} already exists${deletedAt ? ` since its delete at ${deletedAt}` : ''}`,
        deletedAt,
      );
    }
  }

  /**
   * Replaces a resource if it is still at `metadata.resourceVersion`. Unchanged content is not written
   * (no revision churn) and the stored object is returned as it is.
   */
  async update<R extends Resource>(resource: R): Promise<R> {
    const key = keyOf(resource);
    const expected = Number(resource.metadata.resourceVersion);
    if (!Number.isInteger(expected) || expected <= 0) {
      throw new ConflictError(`update of ${key} needs the metadata.resourceVersion it was read at`);
    }
    const current = await this.kv.get(key);
    if (!current || current.operation !== 'PUT') throw new NotFoundError(`${key} not found`);
    if (current.revision !== expected) {
      throw new ConflictError(`${key} changed since revision ${expected} (now ${current.revision})`, expected);
    }
    const data = encode(resource);
    // Equal bytes are the very resource being written, so they are valid.
    if (Buffer.from(current.value).equals(data)) return withRevision(resource, current.revision);
    try {
      return withRevision(resource, await this.kv.update(key, data, expected));
    } catch (error) {
      throw asConflict(error, `${key} changed since revision ${expected}`, expected);
    }
  }

  /** Deletes a resource; with `resourceVersion` only if it is still at that revision. */
  async delete(kind: string, name: string, resourceVersion?: string): Promise<void> {
    const key = resourceKey(kind, name);
    const expected = resourceVersion === undefined ? undefined : Number(resourceVersion);
    try {
      await this.kv.delete(key, expected === undefined ? undefined : { previousSeq: expected });
    } catch (error) {
      throw asConflict(error, `${key} changed since revision ${resourceVersion}`, expected);
    }
  }

  /**
   * Current values first (as ADDED), then every change, until `signal` aborts. A client that lost its
   * connection resumes with `fromRevision` = last revision + 1. Deletes carry the last value seen.
   * The watch's consumer is deleted when it ends (aborted, or its caller stopped iterating).
   */
  async *watch(options: WatchOptions = {}, signal?: AbortSignal): AsyncGenerator<WatchEvent> {
    const key = options.kind ? resourceKey(options.kind, options.name ?? '>') : '>';
    const resuming = options.fromRevision !== undefined;
    let synced = resuming;
    // The consumer marks the end of the initial values with nothing pending after the last one; with
    // none at all it sends nothing, so an empty selection is reported as caught up straight away.
    const onCreated = (pending: number): void => {
      if (synced || pending > 0) return;
      synced = true;
      options.onSynced?.();
    };
    const lastSeen = new Map<string, Resource>();
    const entries = watchEntries(
      this.nc,
      this.bucket,
      key,
      resuming ? { fromRevision: options.fromRevision, onCreated } : { onCreated },
      signal,
    );
    for await (const entry of entries) {
      const event = this.toWatchEvent(entry, lastSeen, synced, options.onInvalid);
      if (event) yield event;
      if (!synced && entry.pending === 0) {
        synced = true;
        options.onSynced?.();
      }
    }
  }

  /**
   * A delete marker among the initial values is an object that no longer exists: nothing to report.
   * An invalid value is absent: left out, or reported DELETED if a valid one was delivered before.
   */
  private toWatchEvent(
    entry: StoredEntry,
    lastSeen: Map<string, Resource>,
    synced: boolean,
    onInvalid?: InvalidValueReporter,
  ): WatchEvent | null {
    const object = entry.operation === 'PUT' ? this.decode(entry) : null;
    if (object instanceof InvalidStoredValueError) {
      this.reportInvalid(object);
      onInvalid?.(object);
    } else if (object) {
      const type = lastSeen.has(entry.key) ? 'MODIFIED' : 'ADDED';
      lastSeen.set(entry.key, object);
      return { type, object, revision: entry.revision };
    }
    const last = lastSeen.get(entry.key);
    lastSeen.delete(entry.key);
    // An invalid value never seen valid: nothing the watcher knew of goes away.
    if (!last && (object || !synced)) return null;
    const gone = last ?? tombstone(entry);
    return {
      type: 'DELETED',
      object: { ...gone, metadata: { ...gone.metadata, resourceVersion: String(entry.revision) } },
      revision: entry.revision,
    };
  }
}

function asConflict(error: unknown, message: string, expected?: number): Error {
  const code = (error as { api_error?: { err_code?: number } }).api_error?.err_code;
  if (code === wrongLastSequence || /wrong last sequence/i.test(String(error))) {
    return new ConflictError(message, expected, { cause: error });
  }
  return wrapError(message.replace(/ .*/, ' write'), error);
}
