/**
 * Reads leave nothing behind on the server: after many runs of every read command (`rdd get`,
 * `ctl get`, `ctl describe`, `svc status`), waits (`ctl wait`, `rdd start` on a running App), and a
 * `ctl get -w` and a `ctl wait` ended with Ctrl-C, the instance's streams hold exactly the consumers
 * they held before. The store's own reads are checked on a bare nats-server, listings of few keys
 * (one direct get each) and of many (one consumer, deleted once the values are in).
 * A consumer left by a read would only go away after five idle minutes, well after this test looks.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connectBus, readCredentials } from '../client/api-client.js';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Resource } from '../protocol/resource.schema.js';
import { InvalidStoredValueError, ResourceStore } from '../client/store.js';
import { resourceBucket, supervisionStream } from '../protocol/subjects.js';
import { repoRoot, TestInstance, uniqueInstance } from './support/cli.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { startTestNats, type TestNats } from '../actors/bus/test-nats.fixtures.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('rln'));
let engine: EngineSession;
const containers = ['first', 'second', 'third'];
const streams = [`KV_${resourceBucket(instance.name)}`, supervisionStream(instance.name)];

/** The consumers on `onStreams`, as `stream/name`. */
async function consumersOf(nc: NatsConnection, onStreams: string[]): Promise<string[]> {
  const jsm = await jetstreamManager(nc);
  const names: string[] = [];
  for (const stream of onStreams) {
    for await (const info of jsm.consumers.list(stream)) names.push(`${stream}/${info.name}`);
  }
  return names.sort();
}

/** The consumers on the instance's streams, read with the daemon's credentials. */
async function consumers(): Promise<string[]> {
  const nc = await connectBus(await readCredentials(instance.paths.daemon_creds_file), { name: 'rdd-e2e-count' });
  try {
    return await consumersOf(nc, streams);
  } finally {
    await nc.close();
  }
}

/** A long-running `rdd` command, interrupted as Ctrl-C does once `ready` says it is under way. */
async function interrupted(
  args: string[],
  ready: (stdout: string) => Promise<boolean>,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'rdd'), ...args], { env: instance.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    await eventually(`rdd ${args.join(' ')} under way`, () => ready(stdout), 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; stderr: ${stderr}`);
    });
    child.kill('SIGINT');
    return { ...(await exited), stdout, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('the store’s reads, few keys and many', () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let store: ResourceStore;
  const bucketStream = `KV_${resourceBucket('leaves')}`;
  const widget = (name: string): Resource => ({ apiVersion: 'test.rdd/v1', kind: 'Widget', metadata: { name } });

  beforeAll(async () => {
    nats = await startTestNats();
    nc = await nats.connect();
    store = await ResourceStore.open(nc, 'leaves', { create: true });
    // More widgets than are read one by one, so a listing of them streams through a consumer.
    for (let index = 0; index < 150; index++) await store.create(widget(`w${String(index).padStart(3, '0')}`));
    await store.create(widget('gone'));
    await store.delete('Widget', 'gone');
    for (const name of ['a', 'b']) await store.create({ ...widget(name), kind: 'Gadget' });
    const kv = await new Kvm(nc).open(resourceBucket('leaves'));
    await kv.put('Widget.broken', '{"kind":');
    await kv.put('Gadget.broken', '{"kind":');
  }, 60_000);

  afterAll(() => nats.dispose());

  it('should list both ways, leaving out deleted and invalid values (reported), and leave no consumer', async () => {
    const reported: string[] = [];
    store.onInvalidValue((invalid) => reported.push(invalid.key));

    const widgets = await store.list('Widget');
    const gadgets = await store.list('Gadget');
    const nothing = await store.list('Nothing');
    const watched: string[] = [];
    const abort = new AbortController();
    for await (const event of store.watch({ kind: 'Gadget', onSynced: () => abort.abort() }, abort.signal))
      watched.push(event.object.metadata.name);
    let emptySynced = false;
    const emptyAbort = new AbortController();
    for await (const _event of store.watch(
      { kind: 'Nothing', onSynced: () => ((emptySynced = true), emptyAbort.abort()) },
      emptyAbort.signal,
    ));

    expect(widgets).toHaveLength(150);
    expect(widgets.map((item) => item.metadata.name)).toEqual([...widgets.map((item) => item.metadata.name)].sort());
    expect(widgets.map((item) => item.metadata.name)).not.toContain('gone');
    expect(gadgets.map((item) => item.metadata.name)).toEqual(['a', 'b']);
    expect(nothing).toEqual([]);
    expect(watched.sort()).toEqual(['a', 'b']);
    expect(emptySynced).toBe(true);
    expect(reported).toEqual(['Widget.broken', 'Gadget.broken', 'Gadget.broken']);
    await expect(store.get('Widget', 'broken')).rejects.toBeInstanceOf(InvalidStoredValueError);
    expect(await consumersOf(nc, [bucketStream])).toEqual([]);
  });
});

describe('reads against a running instance', () => {
  beforeAll(async () => {
    engine = await EngineSession.start(instance);
    for (const name of containers) await engine.docker(['run', '-d', '--name', name, busyboxImage, 'sleep', '3600']);
    for (const name of containers) await engine.container(name);
  }, 240_000);

  afterAll(() => instance.dispose());

  it('should leave no consumer on the instance’s streams, however often they run and however they end', async () => {
    const before = await consumers();
    const reads: string[][] = [
      ['get', '-o', 'json'],
      ['ctl', 'get', 'containers', '-o', 'json'],
      ['ctl', 'get', 'container', 'first', '-o', 'json'],
      ['ctl', 'get', 'images', '-o', 'wide'],
      ['ctl', 'describe', 'container', 'second'],
      ['svc', 'status', '-o', 'json'],
    ];

    for (let round = 0; round < 3; round++) {
      await Promise.all(reads.map((args) => instance.ok(args)));
    }
    await engine.wait(['container/third', '--for=jsonpath={.status.status}=running']);
    await instance.ok(['start', '--timeout', '60s']);
    const watch = await interrupted(['ctl', 'get', 'containers', '-w', '-o', 'json'], (stdout) =>
      Promise.resolve(stdout.includes('\n')),
    );
    // A wait for what never comes, interrupted once its watch is open (a consumer more than before).
    const wait = await interrupted(
      ['ctl', 'wait', 'container/first', '--for=jsonpath={.status.status}=paused'],
      async () => (await consumers()).length > before.length,
    );
    const after = await consumers();

    expect(JSON.parse(watch.stdout.split('\n')[0] as string)).toMatchObject({ object: { kind: 'Container' } });
    // Explained its interrupt (exit 130 with the command that follows the wait) once its watch had ended.
    expect({ code: wait.code, signal: wait.signal }).toEqual({ code: 130, signal: null });
    expect(wait.stderr).toMatch(/^Interrupted: .*follow it with: rdd ctl wait /m);
    // Ended by its own handler (exit 0), not killed by the signal before it could clean up.
    expect({ code: watch.code, signal: watch.signal }).toEqual({ code: 0, signal: null });
    expect(after).toEqual(before);
  }, 120_000);

  it('should list every container it was asked for, so the count above was of working reads', async () => {
    const names = (await engine.list('containers')).map((mirror) => (mirror.status as { name?: string }).name);

    expect(names).toEqual(expect.arrayContaining(containers));
  });
});
