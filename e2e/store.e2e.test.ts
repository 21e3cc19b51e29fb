/** The resource store against a real JetStream KV: CAS, no-churn writes, watch and resume. */
import type { NatsConnection } from '@nats-io/transport-node';
import { ConflictError } from '../protocol/errors.js';
import type { Resource, WatchEvent } from '../protocol/resource.schema.js';
import { ResourceStore } from '../client/store.js';
import { startTestNats, type TestNats } from '../actors/bus/test-nats.fixtures.js';
import { eventually } from './support/eventually.js';

const widget = (name: string, size: number): Resource => ({
  apiVersion: 'test.rdd/v1',
  kind: 'Widget',
  metadata: { name },
  spec: { size },
});

describe('ResourceStore', () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let store: ResourceStore;

  beforeAll(async () => {
    nats = await startTestNats();
    nc = await nats.connect();
    store = await ResourceStore.open(nc, 'storetest', { create: true });
  });

  afterAll(() => nats.dispose());

  it('should give a created resource its KV revision as resourceVersion and read it back', async () => {
    const created = await store.create(widget('a', 1));
    const read = await store.get<Resource>('Widget', 'a');

    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(read).toEqual(created);
  });

  it('should reject creating a resource that exists with a Conflict', async () => {
    await expect(store.create(widget('a', 2))).rejects.toBeInstanceOf(ConflictError);
  });

  it('should update at the revision read and reject a stale revision with a Conflict', async () => {
    const current = (await store.get<Resource>('Widget', 'a')) as Resource;

    const updated = await store.update({ ...current, spec: { size: 3 } });
    const stale = store.update({ ...current, spec: { size: 4 } });

    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get<Resource>('Widget', 'a'))?.spec).toEqual({ size: 3 });
  });

  it('should not write unchanged content (no revision churn)', async () => {
    const current = (await store.get<Resource>('Widget', 'a')) as Resource;

    const again = await store.update({ ...current });

    expect(again.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
  });

  it('should list a kind sorted by name, without deleted ones', async () => {
    await store.create(widget('c', 1));
    await store.create(widget('b', 1));
    await store.create(widget('gone', 1));
    await store.delete('Widget', 'gone');

    const names = (await store.list('Widget')).map((item) => item.metadata.name);

    expect(names).toEqual(['a', 'b', 'c']);
    expect(await store.get('Widget', 'gone')).toBeNull();
  });

  it('should refuse a delete at a stale revision', async () => {
    const current = (await store.get<Resource>('Widget', 'b')) as Resource;
    await store.update({ ...current, spec: { size: 9 } });

    await expect(store.delete('Widget', 'b', current.metadata.resourceVersion)).rejects.toBeInstanceOf(ConflictError);
  });

  it('should watch current values first, then changes, and resume from a revision', async () => {
    const abort = new AbortController();
    const seen: WatchEvent[] = [];
    let synced = false;
    const watching = (async () => {
      for await (const event of store.watch({ kind: 'Widget', onSynced: () => (synced = true) }, abort.signal))
        seen.push(event);
    })();
    await eventually('the initial values', () => Promise.resolve(synced));
    const initial = seen.map((event) => `${event.type} ${event.object.metadata.name}`);

    await store.create(widget('d', 1));
    await store.delete('Widget', 'c');
    await eventually('the two changes', () => Promise.resolve(seen.length === initial.length + 2));
    const lastRevision = seen.at(-1)?.revision as number;
    abort.abort();
    await watching;
    await store.create(widget('e', 1));
    const resumed: WatchEvent[] = [];
    const resumeAbort = new AbortController();
    const resuming = (async () => {
      for await (const event of store.watch({ kind: 'Widget', fromRevision: lastRevision + 1 }, resumeAbort.signal))
        resumed.push(event);
    })();
    await eventually('the change made while away', () => Promise.resolve(resumed.length >= 1));
    resumeAbort.abort();
    await resuming;

    expect([...initial].sort()).toEqual(['ADDED a', 'ADDED b', 'ADDED c']);
    expect(seen.slice(initial.length).map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual([
      'ADDED d',
      'DELETED c',
    ]);
    expect(resumed.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual(['ADDED e']);
  });

  it('should report an empty selection as caught up at once', async () => {
    const abort = new AbortController();
    let synced = false;
    const watching = (async () => {
      for await (const _event of store.watch({ kind: 'Nothing', onSynced: () => (synced = true) }, abort.signal)) {
        // no values expected
      }
    })();

    await eventually('the empty watch to be caught up', () => Promise.resolve(synced));
    abort.abort();
    await watching;

    expect(synced).toBe(true);
  });
});
