/**
 * Real JetStream KV for the mirror tests. Importing this file starts one nats-server for the test file
 * (beforeAll) and stops it afterwards; each {@link TestStore} opens a bucket of its own, so tests stay
 * independent. Revisions, create-only, compare-and-swap and the checks on read are the real store's: the
 * wrapper only watches what goes through it (every write, in order) so tests can assert "no churn" as a
 * number and look at what a watcher would have seen.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { startTestNats, type TestNats } from '../bus/test-nats.fixtures.js';
import { resourceBucket, resourceKey } from '../../protocol/subjects.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { ResourceStore, type CreateOptions, type ListOptions } from '../../client/store.js';
import type { MirrorStore } from './mirror-store.js';

let nats: TestNats | undefined;
let connection: NatsConnection | undefined;
let bucketCount = 0;

beforeAll(async () => {
  nats = await startTestNats();
  connection = await nats.connect();
}, 30_000);

afterAll(async () => {
  await nats?.dispose();
  nats = undefined;
  connection = undefined;
});

interface Opened {
  store: ResourceStore;
  kv: KV;
}

/** Opens a fresh bucket on this file's nats-server: a store nobody else writes. */
async function openFreshBucket(): Promise<Opened> {
  if (!connection) throw new Error('TestStore used outside a test: the nats-server starts in beforeAll');
  bucketCount += 1;
  const instance = `unit${bucketCount}`;
  const store = await ResourceStore.open(connection, instance, { create: true });
  const kv = await new Kvm(connection).open(resourceBucket(instance));
  return { store, kv };
}

export class TestStore implements MirrorStore {
  /** Every write that changed the store, in order, as `put Kind.name` or `delete Kind.name`. */
  readonly writes: string[] = [];
  /** Every value written, in order, for tests that look at what a watcher would have seen. */
  readonly history: { key: string; resource: Resource }[] = [];
  /** The last value written under each key through this store (deleted keys are absent). */
  readonly latest = new Map<string, Resource>();
  /** The bucket opens in the background so a test (or setupMirrors) can make a store synchronously. */
  private readonly opened: Promise<Opened> = openFreshBucket();

  async get<R extends Resource>(kind: string, name: string): Promise<R | null> {
    return (await this.opened).store.get<R>(kind, name);
  }

  async list<R extends Resource>(kind: string, options: ListOptions = {}): Promise<R[]> {
    return (await this.opened).store.list<R>(kind, options);
  }

  async create<R extends Resource>(resource: R, options: CreateOptions = {}): Promise<R> {
    return this.written(await (await this.opened).store.create(resource, options));
  }

  async update<R extends Resource>(resource: R): Promise<R> {
    const stored = await (await this.opened).store.update(resource);
    // The real store skips unchanged bytes and hands back the revision it read: no write happened.
    return stored.metadata.resourceVersion === resource.metadata.resourceVersion ? stored : this.written(stored);
  }

  async delete(kind: string, name: string, resourceVersion?: string): Promise<void> {
    await (await this.opened).store.delete(kind, name, resourceVersion);
    const key = resourceKey(kind, name);
    this.writes.push(`delete ${key}`);
    this.latest.delete(key);
  }

  /** Puts `text` under `key` as a hand edit (or an older rdd) would, bypassing every check; its revision. */
  async plant(key: string, text: string): Promise<number> {
    return (await this.opened).kv.put(key, text);
  }

  /** The bytes stored under `key`, as text; undefined when absent or deleted. */
  async storedText(key: string): Promise<string | undefined> {
    const entry = await (await this.opened).kv.get(key);
    return entry && entry.operation === 'PUT' ? entry.string() : undefined;
  }

  /** The names under which `kind` has a stored value, valid or not, sorted. */
  async names(kind: string): Promise<string[]> {
    const names: string[] = [];
    for await (const key of await (await this.opened).kv.keys(`${kind}.>`)) names.push(key.slice(kind.length + 1));
    return names.sort();
  }

  private written<R extends Resource>(stored: R): R {
    const key = resourceKey(stored.kind, stored.metadata.name);
    this.writes.push(`put ${key}`);
    this.history.push({ key, resource: stored });
    this.latest.set(key, stored);
    return stored;
  }
}
