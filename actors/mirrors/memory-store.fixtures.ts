/**
 * An in-memory {@link MirrorStore} with the KV store's rules: revisions grow per write, create fails on
 * an existing key, update is compare-and-swap and skips unchanged bytes. It counts writes, so tests can
 * assert "no churn" as a number. A value planted by hand ({@link MemoryStore.plant}) is checked on
 * read as the KV store checks it: `get` throws for an invalid one, `list` leaves it out and reports it.
 */
import { ConflictError, NotFoundError } from '../../protocol/errors.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { decode as checkedDecode, InvalidStoredValueError, type WatchOptions } from '../../client/store.js';
import type { MirrorStore } from './mirror-store.js';

interface Entry {
  revision: number;
  json: string;
  /** Planted by hand: checked on every read. */
  planted?: boolean;
}

export class MemoryStore implements MirrorStore {
  private revision = 0;
  readonly entries = new Map<string, Entry>();
  readonly writes: string[] = [];
  /** Every value written, in order, for tests that look at what a watcher would have seen. */
  readonly history: { key: string; resource: Resource }[] = [];

  get<R extends Resource>(kind: string, name: string): Promise<R | null> {
    const key = `${kind}.${name}`;
    const entry = this.entries.get(key);
    if (!entry) return Promise.resolve(null);
    const read = this.read<R>(key, entry);
    return read instanceof InvalidStoredValueError ? Promise.reject(read) : Promise.resolve(read);
  }

  list<R extends Resource>(kind: string, { onInvalid }: Pick<WatchOptions, 'onInvalid'> = {}): Promise<R[]> {
    const found: R[] = [];
    for (const [key, entry] of [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!key.startsWith(`${kind}.`)) continue;
      const read = this.read<R>(key, entry);
      if (read instanceof InvalidStoredValueError) onInvalid?.(read);
      else found.push(read);
    }
    return Promise.resolve(found);
  }

  /** Puts `text` under `key` as a hand edit (or an older rdd) would; returns its revision. */
  plant(key: string, text: string): number {
    this.revision += 1;
    this.entries.set(key, { revision: this.revision, json: text, planted: true });
    return this.revision;
  }

  create<R extends Resource>(resource: R): Promise<R> {
    const key = `${resource.kind}.${resource.metadata.name}`;
    if (this.entries.has(key)) return Promise.reject(new ConflictError(`${key} already exists`));
    return Promise.resolve(this.put(key, resource));
  }

  update<R extends Resource>(resource: R): Promise<R> {
    const key = `${resource.kind}.${resource.metadata.name}`;
    const current = this.entries.get(key);
    if (!current) return Promise.reject(new NotFoundError(`${key} not found`));
    if (String(current.revision) !== resource.metadata.resourceVersion) {
      return Promise.reject(new ConflictError(`${key} changed`));
    }
    if (encode(resource) === current.json) return Promise.resolve(decode<R>(current));
    return Promise.resolve(this.put(key, resource));
  }

  delete(kind: string, name: string, resourceVersion?: string): Promise<void> {
    const key = `${kind}.${name}`;
    const current = this.entries.get(key);
    if (current && resourceVersion !== undefined && String(current.revision) !== resourceVersion) {
      return Promise.reject(new ConflictError(`${key} changed`));
    }
    if (this.entries.delete(key)) this.writes.push(`delete ${key}`);
    return Promise.resolve();
  }

  /** The stored mirrors of `kind`, by name, without resourceVersion. */
  names(kind: string): string[] {
    return [...this.entries.keys()]
      .filter((key) => key.startsWith(`${kind}.`))
      .map((key) => key.slice(kind.length + 1));
  }

  private read<R extends Resource>(key: string, entry: Entry): R | InvalidStoredValueError {
    return entry.planted
      ? checkedDecode<R>({ key, revision: entry.revision, string: () => entry.json })
      : decode<R>(entry);
  }

  private put<R extends Resource>(key: string, resource: R): R {
    this.revision += 1;
    const entry = { revision: this.revision, json: encode(resource) };
    this.entries.set(key, entry);
    this.writes.push(`put ${key}`);
    this.history.push({ key, resource: decode<Resource>(entry) });
    return decode<R>(entry);
  }
}

function encode(resource: Resource): string {
  const { resourceVersion: _ignored, ...metadata } = resource.metadata;
  return JSON.stringify({ ...resource, metadata });
}

function decode<R extends Resource>(entry: Entry): R {
  const resource = JSON.parse(entry.json) as R;
  return { ...resource, metadata: { ...resource.metadata, resourceVersion: String(entry.revision) } };
}
