/**
 * The daemon trusts nothing it did not write. Against a real daemon, nats-server and dockerd: garbage
 * published on every internal subject is refused and counted (svc status) and changes nothing; an
 * invalid mirror written into the bucket is left out of listings with a warning and rewritten by the
 * next sync; an invalid App is reported with Settled=False/InvalidStoredSpec and crashes nothing.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { App } from '../protocol/app.schema.js';
import { connectBus, readCredentials } from '../client/api-client.js';
import type { BusCredentials } from '../protocol/credentials.js';
import type { DaemonStatus } from '../protocol/api.schema.js';
import type { Container } from '../protocol/mirrors/container.schema.js';
import { actorSubject, faultInjectionSubject, mirrorSubject, resourceBucket } from '../protocol/subjects.js';
import { inspectionLeaseSubject } from '../protocol/inspection.schema.js';
import { eventually, TestInstance, uniqueInstance } from './support/cli.js';
import { daemonStatus, isAlive, settledApp } from './support/faults.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';

/**
 * The credentials the test publishes with as if it were the daemon: only the daemon's user may publish
 * on internal subjects and write the store (e2e/trust-boundary shows a client being refused).
 */
function daemonCredentials(instance: TestInstance): Promise<BusCredentials> {
  return readCredentials(instance.paths.daemon_creds_file);
}

const instance = new TestInstance(uniqueInstance('trust'));
instance.env.RDD_FAULT_INJECTION = '1';
// A periodic sync every 15 s: "the next sync" comes soon, yet seldom between a spoiling write and the
// listing a second later (on a loaded machine 3 s lost that race now and then).
instance.env.RDD_ENGINE_RESYNC_SECONDS = '15';
let engine: EngineSession;
let nc: NatsConnection;
let kv: KV;
let keptId: string;
let spoiledId: string;

beforeAll(async () => {
  engine = await EngineSession.start(instance);
  keptId = await engine.docker(['run', '-d', '--init', '--name', 'kept', busyboxImage, 'sleep', '100000']);
  spoiledId = await engine.docker(['create', '--name', 'spoiled', busyboxImage, 'true']);
  await engine.container(keptId);
  await engine.container(spoiledId);
  nc = await connectBus(await daemonCredentials(instance), { name: 'rdd-untrusted-test' });
  kv = await new Kvm(nc).open(resourceBucket(instance.name));
}, 300_000);

afterAll(async () => {
  await nc?.close();
  await instance.dispose();
});

const restartsOf = (status: Awaited<ReturnType<typeof daemonStatus>>) =>
  Object.fromEntries(status.children.map((child) => [`${child.supervisor}/${child.id}`, child.restarts]));

describe('messages on internal subjects that fail validation', () => {
  it('should refuse and count each one, and change nothing', async () => {
    // Arrange
    const app = await settledApp(instance);
    const before = await daemonStatus(instance);
    const subject = (actor: 'vm' | 'engine' | 'app', verb: string) => actorSubject(instance.name, actor, verb);
    const published: [string, string][] = [
      [subject('vm', 'desired'), 'not json {'],
      [subject('vm', 'desired'), JSON.stringify({ generation: 'one', running: 'yes' })],
      [subject('engine', 'desired'), JSON.stringify([1, 2, 3])],
      [subject('vm', 'status'), JSON.stringify({ status: 'Maybe' })],
      [subject('engine', 'status'), ''],
      [subject('app', 'hello'), JSON.stringify({ from: 'stranger' })],
    ];
    const requested: [string, string][] = [
      [mirrorSubject(instance.name, 'Container', keptId, 'state'), JSON.stringify({ state: 'flying' })],
      [mirrorSubject(instance.name, 'Container', keptId, 'action'), 'not json'],
      [inspectionLeaseSubject(instance.name), JSON.stringify({ ttlMs: 'forever' })],
      [faultInjectionSubject(instance.name), JSON.stringify({ supervisor: 'app', child: 'vm', extra: true })],
    ];

    // Act
    for (const [to, body] of published) nc.publish(to, body);
    const replies = await Promise.all(
      requested.map(async ([to, body]) => (await nc.request(to, body, { timeout: 5_000 })).json<{ ok: boolean }>()),
    );

    // Assert: each was refused, and counted under its own subject
    expect(replies.map((reply) => reply.ok)).toEqual([false, false, false, false]);
    const sent = published.length + requested.length;
    const after = await eventually<DaemonStatus>('every rejection to be counted', async () => {
      const status = await daemonStatus(instance);
      return status.rejected.total >= before.rejected.total + sent ? status : null;
    });
    expect(after.rejected.total).toBe(before.rejected.total + sent);
    const grew = (source: string) => (after.rejected.bySource[source] ?? 0) - (before.rejected.bySource[source] ?? 0);
    expect({
      vmDesired: grew('vm.desired'),
      engineDesired: grew('engine.desired'),
      vmStatus: grew('vm.status'),
      engineStatus: grew('engine.status'),
      hello: grew('app.hello'),
      mirrors: grew('mirrors.request'),
      lease: grew('inspection.lease'),
      crash: grew('debug.crash'),
    }).toEqual({
      vmDesired: 2,
      engineDesired: 1,
      vmStatus: 1,
      engineStatus: 1,
      hello: 1,
      mirrors: 2,
      lease: 1,
      crash: 1,
    });
    // ...and nothing changed: same daemon, no restart, the same App at the same revision
    expect(after.pid).toBe(before.pid);
    expect(isAlive(after.pid)).toBe(true);
    expect(restartsOf(after)).toEqual(restartsOf(before));
    const now = await instance.json<App>(['get']);
    expect(now.metadata.resourceVersion).toBe(app.metadata.resourceVersion);
    expect(now.status.conditions).toEqual(app.status.conditions);
    const text = (await instance.ok(['svc', 'status'])).stdout;
    expect(text).toMatch(new RegExp(`rejected\\s+${after.rejected.total} \\(.*vm\\.desired 2`));
  });
});

describe('an invalid mirror in the bucket', () => {
  it('should be left out of rdd ctl get with a warning, then rewritten by the next sync', async () => {
    // Arrange
    const key = `Container.${spoiledId}`;
    const before = await daemonStatus(instance);

    // Act: a sync may rewrite it before the CLI has listed; then spoil it again (a few times at most)
    let revision = 0;
    let listed = { code: -1, stdout: '', stderr: '' };
    let spoiled = 0;
    while (spoiled < 5 && !listed.stderr.includes('Warning')) {
      revision = await kv.put(key, JSON.stringify({ apiVersion: 'x', kind: 'Container', metadata: {} }));
      spoiled += 1;
      listed = await instance.rdd(['ctl', 'get', 'containers', '-o', 'json']);
    }

    // Assert: the listing still answers, without it and saying so
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain(`Warning: left out ${key} (revision ${revision}), which is not a valid resource`);
    const names = (JSON.parse(listed.stdout) as { items: Container[] }).items.map((item) => item.metadata.name);
    expect(names).toContain(keptId);
    expect(names).not.toContain(spoiledId);
    // ...and the next sync writes the engine's view over it, counted once
    const repaired = await eventually<Container>(
      'the mirror to be rewritten',
      async () => {
        const entry = await kv.get(key);
        return entry && entry.revision > revision ? entry.json<Container>() : null;
      },
      45_000,
    );
    expect(repaired.metadata.name).toBe(spoiledId);
    expect(repaired.status.name).toBe('spoiled');
    const after = await daemonStatus(instance);
    // Each spoiled revision counted once, however often it was read.
    expect((after.rejected.bySource['store.Container'] ?? 0) - (before.rejected.bySource['store.Container'] ?? 0)).toBe(
      spoiled,
    );
    const again = await instance.rdd(['ctl', 'get', 'containers', '-o', 'json']);
    expect(again.stderr).not.toContain('Warning');
    expect(restartsOf(after)).toEqual(restartsOf(before));
  }, 120_000);
});

describe('an invalid App in the bucket', () => {
  it('should be reported with Settled=False/InvalidStoredSpec while the engine goes on, and crash nothing', async () => {
    // Arrange
    const good = await settledApp(instance);
    const before = await daemonStatus(instance);
    const stored = (await kv.get('App.app'))!.json<App>();

    // Act
    await kv.put('App.app', JSON.stringify({ ...stored, spec: { ...stored.spec, running: 'yes please' } }));
    const shown = await instance.json<App>(['get']);
    const set = await instance.rdd(['set', 'containerEngine.mirrorImages=false', '--timeout', '60s']);

    // Assert: reported, with the key and the issue
    const settled = shown.status.conditions.find((condition) => condition.type === 'Settled');
    expect(settled).toMatchObject({ status: 'False', reason: 'InvalidStoredSpec' });
    expect(settled?.message).toMatch(/the stored App\.app \(revision \d+\) is not a valid resource: spec\.running/);
    expect(shown.spec).toEqual(good.spec);
    // (the CLI reads the stored App itself and fails at once, long before its timeout)
    expect(set.code).toBe(1);
    expect(set.stderr).toMatch(/the stored App\.app \(revision \d+\) is not a valid resource: spec\.running/);
    // ...nothing crashed, the engine runs on, and the user's bytes are not overwritten
    const after = await daemonStatus(instance);
    expect(after.pid).toBe(before.pid);
    expect(after.enginePid).toBe(before.enginePid);
    expect(restartsOf(after)).toEqual(restartsOf(before));
    expect((after.rejected.bySource['store.App'] ?? 0) - (before.rejected.bySource['store.App'] ?? 0)).toBe(1);
    expect((await kv.get('App.app'))!.json<App>().spec.running).toBe('yes please');
    expect(await engine.docker(['inspect', '-f', '{{.State.Running}}', keptId])).toBe('true');
  }, 60_000);
});
