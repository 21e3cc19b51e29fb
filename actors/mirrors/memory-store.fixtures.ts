/**
 * An in-memory {@link MirrorStore} with the KV store's rules: revisions grow per write, create fails on
 * an existing key, update is compare-and-swap and skips unchanged bytes. It counts writes, so tests can
 * assert "no churn" as a number.
 */
import { ConflictError, NotFoundError } from '../../protocol/errors.js';
import type { Resource } from '../../protocol/resource.schema.js';
import type { MirrorStore } from './mirror-store.js';

export class MemoryStore implements MirrorStore {
  private revision = 0;
  readonly entries = new Map<string, { revision: number; json: string }>();
  readonly writes: string[] = [];
  /** Every value written, in order, for tests that look at what a watcher would have seen. */
  readonly history: { key: string; resource: Resource }[] = [];

  get<R extends Resource>(kind: string, name: string): Promise<R | null> {
    const entry = this.entries.get(`${kind}.${name}`);
    return Promise.resolve(entry ? decode<R>(entry) : null);
  }

  list<R extends Resource>(kind: string): Promise<R[]> {
    const found = [...this.entries.entries()]
      .filter(([key]) => key.startsWith(`${kind}.`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, entry]) => decode<R>(entry));
    return Promise.resolve(found);
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

  delete(kind: string, name: string): Promise<void> {
    if (this.entries.delete(`${kind}.${name}`)) this.writes.push(`delete ${kind}.${name}`);
    return Promise.resolve();
  }

  /** The stored mirrors of `kind`, by name, without resourceVersion. */
  names(kind: string): string[] {
    return [...this.entries.keys()]
      .filter((key) => key.startsWith(`${kind}.`))
      .map((key) => key.slice(kind.length + 1));
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

function decode<R extends Resource>(entry: { revision: number; json: string }): R {
  const resource = JSON.parse(entry.json) as R;
  return { ...resource, metadata: { ...resource.metadata, resourceVersion: String(entry.revision) } };
}
