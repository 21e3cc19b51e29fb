/**
 * What a client can do through the daemon's own subscriptions, where nats-server's permissions do not
 * reach. A reader may create a push consumer that replays stored messages onto a subject the daemon
 * listens to; and any request names its own reply subject, which the daemon then publishes to with every
 * right on the bus. Each replay must be counted and dropped and its consumer deleted; each reply aimed
 * anywhere but an inbox must be refused unanswered; and the engine, its containers, the App and the
 * mirrors must be exactly as before. The permissions themselves are in trust-boundary.e2e.test.ts.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { App } from '../protocol/app.schema.js';
import { connectBus, readCredentials } from '../client/api-client.js';
import { inspectionLeaseSubject } from '../protocol/inspection.schema.js';
import {
  actorSubject,
  apiSubject,
  faultInjectionSubject,
  resourceBucket,
  supervisionStream,
} from '../protocol/subjects.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { survivors, type Survivors } from './support/faults.js';
import type { EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';
import { currentApp as appOf, RoleConnection, startGuarded } from './support/trust-boundary.js';

const instance = new TestInstance(uniqueInstance('replies'));
instance.env.RDD_FAULT_INJECTION = '1';
let engine: EngineSession;
let before: Survivors;
let appBefore: App;
const bucketStream = `KV_${resourceBucket(instance.name)}`;

const currentApp = (): Promise<App> => appOf(instance);

beforeAll(async () => {
  ({ engine, before, appBefore } = await startGuarded(instance));
}, 240_000);

afterAll(() => instance.dispose());

describe('a client replaying stored messages onto internal subjects', () => {
  it('should have every replay counted and dropped by the daemon, and change nothing', async () => {
    interface Rejected {
      rejected: { total: number; bySource: Record<string, number> };
      children: { supervisor: string; id: string; restarts: number }[];
    }
    const status = (): Promise<Rejected> => instance.json<Rejected>(['svc', 'status']);
    const restarts = (of: Rejected): string[] =>
      of.children.map((child) => `${child.supervisor}/${child.id}=${child.restarts}`);
    const earlier = await status();
    const client = await RoleConnection.open(instance.paths.creds_file);
    // nats-server lets a reader create a push consumer delivering anywhere; the stored supervision
    // events carry `supervisor` and `child`, as a crash request does.
    const replays: [stream: string, subject: string][] = [
      [supervisionStream(instance.name), faultInjectionSubject(instance.name)],
      [bucketStream, actorSubject(instance.name, 'engine', 'desired')],
      [bucketStream, actorSubject(instance.name, 'vm', 'desired')],
    ];
    const consumers: [stream: string, name: string][] = [];
    try {
      for (const [stream, subject] of replays) {
        const reply = await client.nc.request(
          `$JS.API.CONSUMER.CREATE.${stream}`,
          JSON.stringify({ stream_name: stream, config: { deliver_subject: subject, ack_policy: 'none' } }),
          { timeout: 5_000 },
        );
        const created = reply.json<{ name?: string; error?: unknown }>();
        expect(created.error).toBeUndefined();
        consumers.push([stream, created.name as string]);
      }
    } finally {
      await client.close();
    }
    const later = await eventually('the replays counted by the daemon', async () => {
      const now = await status();
      const grew = ['debug.crash', 'engine.desired', 'vm.desired'].every(
        (source) => (now.rejected.bySource[source] ?? 0) > (earlier.rejected.bySource[source] ?? 0),
      );
      return grew ? now : null;
    });
    const after = await survivors(instance, engine);
    // The daemon deleted each replaying consumer, so the replay does not go on with every new write.
    const reader = await connectBus(await readCredentials(instance.paths.creds_file));
    try {
      const jsm = await jetstreamManager(reader);
      await eventually('the replaying consumers deleted', async () => {
        const left = await Promise.all(
          consumers.map(([stream, name]) =>
            jsm.consumers.info(stream, name).then(
              () => name,
              () => null,
            ),
          ),
        );
        return left.every((name) => name === null);
      });
    } finally {
      await reader.close();
    }

    expect(restarts(later)).toEqual(restarts(earlier));
    expect(after).toEqual(before);
    expect((await currentApp()).metadata.resourceVersion).toBe(appBefore.metadata.resourceVersion);
  });
});

describe('a client naming where the daemon replies', () => {
  it('should have every reply to a subject that is not an inbox refused and counted, and change nothing', async () => {
    const refusedReplies = async (): Promise<number> =>
      (await instance.json<{ rejected: { bySource: Record<string, number> } }>(['svc', 'status'])).rejected.bySource[
        'bus.reply'
      ] ?? 0;
    const earlier = await refusedReplies();
    const kept = await engine.container('kept');
    // Each of these, were the reply sent, would overwrite the App or a mirror, empty the store, or
    // forge an actor's message with the daemon's rights.
    const targets = [
      `$KV.${resourceBucket(instance.name)}.App.app`,
      `$KV.${resourceBucket(instance.name)}.Container.${kept.metadata.name}`,
      `$JS.API.STREAM.PURGE.${bucketStream}`,
      actorSubject(instance.name, 'vm', 'desired'),
    ];
    const requests = [apiSubject(instance.name, 'app', 'get'), inspectionLeaseSubject(instance.name)];
    const client = await RoleConnection.open(instance.paths.creds_file);
    try {
      for (const target of targets) for (const subject of requests) client.nc.publish(subject, '{}', { reply: target });
      // Service discovery is answered by the service library itself, reply subject and all: not the client's.
      client.nc.publish('$SRV.PING', '', { reply: targets[0] });
      await client.nc.flush();
      await client.refused('publish', '$SRV.PING');
    } finally {
      await client.close();
    }
    await eventually(
      'every request with a reply subject that is not an inbox counted',
      async () => (await refusedReplies()) >= earlier + targets.length * requests.length,
    );
    const after = await survivors(instance, engine);

    expect(after).toEqual(before);
    expect((await currentApp()).metadata.resourceVersion).toBe(appBefore.metadata.resourceVersion);
    expect((await engine.container('kept')).metadata.resourceVersion).toBe(kept.metadata.resourceVersion);
  });
});
