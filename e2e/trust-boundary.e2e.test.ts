/**
 * The bus's trust boundary, enforced by nats-server: a program holding the client's (or the watch
 * role's) credentials — and never the daemon's — cannot forge what the actors tell each other, write
 * the store, reach the JetStream admin API or read other roles' messages. Each forgery must first be
 * seen refused (a permissions violation naming its subject); then the engine, its containers, the App
 * and the mirrors must be exactly as before. A last test sends one forgery with the daemon's
 * credentials and sees it take effect, so the refusals are the permissions at work, not a dead subject.
 * A client may name any reply subject, and the daemon publishes its replies with every right: a reply
 * aimed at the store or at an actor subject must be dropped unanswered.
 * And no argument is ever read from stdin: a piped name must not become the target of a delete.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import type { App } from '../protocol/app.schema.js';
import { findCondition } from '../protocol/condition.schema.js';
import { ApiClient, connectBus, readCredentials } from '../client/api-client.js';
import type { Container } from '../protocol/mirrors/container.schema.js';
import { ResourceStore } from '../client/store.js';
import { inspectionLeaseSubject } from '../protocol/inspection.schema.js';
import {
  actorSubject,
  apiSubject,
  faultInjectionSubject,
  mirrorSubject,
  resourceBucket,
  supervisionStream,
} from '../protocol/subjects.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { survivors, type Survivors } from './support/faults.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('perm'));
instance.env.RDD_FAULT_INJECTION = '1';
let engine: EngineSession;
let before: Survivors;
let appBefore: App;
const bucketStream = `KV_${resourceBucket(instance.name)}`;

/** A connection with one role's credentials that records every permissions violation the server reports. */
class RoleConnection {
  readonly violations: InstanceType<typeof errors.PermissionViolationError>[] = [];
  private constructor(readonly nc: NatsConnection) {}

  static async open(file: string): Promise<RoleConnection> {
    const connection = new RoleConnection(await connectBus(await readCredentials(file), { name: 'rdd-attacker' }));
    void (async () => {
      for await (const status of connection.nc.status())
        if (status.type === 'error' && status.error instanceof errors.PermissionViolationError)
          connection.violations.push(status.error);
    })();
    return connection;
  }

  /** Waits for the server to refuse `operation` on `subject`. */
  refused(operation: 'publish' | 'subscription', subject: string): Promise<boolean> {
    return eventually(
      `a permissions violation for ${operation} to ${subject}`,
      () =>
        Promise.resolve(this.violations.some((error) => error.operation === operation && error.subject === subject)),
      10_000,
    );
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}

async function currentApp(): Promise<App> {
  return instance.json<App>(['get']);
}

/** The App's conditions as type=status/reason, for comparison across a forgery. */
function conditionsOf(app: App): string[] {
  return app.status.conditions.map((condition) => `${condition.type}=${condition.status}/${condition.reason}`);
}

beforeAll(async () => {
  engine = await EngineSession.start(instance);
  await engine.docker(['run', '-d', '--name', 'kept', busyboxImage, 'sleep', '3600']);
  await engine.container('kept');
  before = await survivors(instance, engine);
  appBefore = await currentApp();
}, 240_000);

afterAll(() => instance.dispose());

describe('a client forging internal messages', () => {
  it('should be refused by the server on every internal subject, and change nothing', async () => {
    const client = await RoleConnection.open(instance.paths.creds_file);
    const kept = await engine.container('kept');
    const forgeries: [string, unknown][] = [
      [
        actorSubject(instance.name, 'engine', 'status'),
        { observedGeneration: 99, status: 'False', reason: 'Disconnected', message: 'forged by a client' },
      ],
      [
        actorSubject(instance.name, 'vm', 'status'),
        {
          observedGeneration: 99,
          status: 'False',
          reason: 'StartFailed',
          message: 'forged by a client',
          applyingTemplate: false,
          restarts: 0,
        },
      ],
      [
        actorSubject(instance.name, 'engine', 'desired'),
        {
          generation: 99,
          wanted: false,
          engine: 'moby',
          socket: '/x',
          mirrorImages: true,
          retainMirrors: false,
        },
      ],
      [
        actorSubject(instance.name, 'vm', 'desired'),
        {
          generation: 99,
          running: false,
          driver: 'dockerd',
          engine: 'moby',
          socket: '/x',
          kubernetes: { enabled: false, version: '' },
        },
      ],
      [actorSubject(instance.name, 'app', 'hello'), { from: 'vm' }],
      [mirrorSubject(instance.name, 'Container', kept.metadata.name, 'delete'), { force: true }],
      [mirrorSubject(instance.name, 'Container', kept.metadata.name, 'state'), { state: 'exited' }],
      [faultInjectionSubject(instance.name), { supervisor: 'root', child: 'bus' }],
      [`$KV.${resourceBucket(instance.name)}.Container.forged`, { kind: 'Container', metadata: { name: 'forged' } }],
    ];
    try {
      for (const [subject, body] of forgeries) client.nc.publish(subject, JSON.stringify(body));
      await client.nc.flush();
      for (const [subject] of forgeries) await client.refused('publish', subject);
    } finally {
      await client.close();
    }
    // The daemon answers after the last forgery reached the server; give the actors a moment to have
    // acted on anything that got through before comparing.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await survivors(instance, engine);
    const appAfter = await currentApp();
    const names = (await engine.list<Container>('containers')).map((mirror) => mirror.metadata.name);

    expect(after).toEqual(before);
    expect(appAfter.metadata.resourceVersion).toBe(appBefore.metadata.resourceVersion);
    expect(conditionsOf(appAfter)).toEqual(conditionsOf(appBefore));
    expect(names).not.toContain('forged');
    expect(names).toContain(kept.metadata.name);
  });
});

describe('a client reading what is not its own', () => {
  it('should not subscribe to everything, to another role’s inbox, to API requests or to actor subjects', async () => {
    const client = await RoleConnection.open(instance.paths.creds_file);
    const forbidden = ['>', '_INBOX.>', '_INBOX_rdd_watch.>', `rdd.${instance.name}.api.>`, `rdd.${instance.name}.>`];
    try {
      for (const subject of forbidden) client.nc.subscribe(subject);
      client.nc.subscribe(actorSubject(instance.name, 'vm', 'desired'), { queue: 'steal' });
      await client.nc.flush();
      for (const subject of [...forbidden, actorSubject(instance.name, 'vm', 'desired')])
        await client.refused('subscription', subject);
      // Still a working client: the API answers on its own inbox.
      const status = await new ApiClient(client.nc, instance.name).request('svc.status', {});
      expect(status.instance).toBe(instance.name);
    } finally {
      await client.close();
    }
  });

  it('should not reach the JetStream admin API: no stream listing, deleting or purging, no KV writes', async () => {
    const client = await RoleConnection.open(instance.paths.creds_file);
    try {
      const jsm = await jetstreamManager(client.nc, { timeout: 2_000 });
      await expect(jsm.streams.delete(bucketStream)).rejects.toThrow();
      await expect(jsm.streams.purge(bucketStream)).rejects.toThrow();
      await expect(jsm.streams.names().next()).rejects.toThrow();
      const kv = await new Kvm(client.nc).open(resourceBucket(instance.name));
      await expect(kv.put('Container.forged', '{}', { timeout: 2_000 })).rejects.toThrow();
      await client.refused('publish', `$JS.API.STREAM.DELETE.${bucketStream}`);
      await client.refused('publish', `$JS.API.STREAM.PURGE.${bucketStream}`);
      await client.refused('publish', '$JS.API.STREAM.NAMES');
      await client.refused('publish', `$KV.${resourceBucket(instance.name)}.Container.forged`);
      // Reading is what the client is for: the store is all still there.
      const app = await (await ResourceStore.open(client.nc, instance.name)).get('App', 'app');
      expect(app?.metadata.resourceVersion).toBe(appBefore.metadata.resourceVersion);
    } finally {
      await client.close();
    }
  });

  it('should let the watch role read and watch the store but not call the API', async () => {
    const watcher = await RoleConnection.open(instance.paths.watch_creds_file);
    const abort = new AbortController();
    try {
      const store = await ResourceStore.open(watcher.nc, instance.name);
      const seen: string[] = [];
      for await (const event of store.watch({ kind: 'Container', onSynced: () => abort.abort() }, abort.signal))
        seen.push(event.object.metadata.name);

      expect(seen).toContain((await engine.container('kept')).metadata.name);
      await expect(new ApiClient(watcher.nc, instance.name).request('svc.status', {}, 2_000)).rejects.toThrow();
      await watcher.refused('publish', `rdd.${instance.name}.api.svc.status`);
    } finally {
      abort.abort();
      await watcher.close();
    }
  });
});

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

describe('rdd ctl delete with stdin a pipe and no target', () => {
  it('should be a usage error that deletes nothing, whatever stdin holds', async () => {
    const kept = await engine.container('kept');
    const id = await engine.docker(['inspect', '-f', '{{.Id}}', 'kept']);

    const piped = await instance.rdd(['ctl', 'delete'], { input: `container/${kept.metadata.name}\n` });
    const pipedBare = await instance.rdd(['ctl', 'delete', 'container'], { input: `${kept.metadata.name}\n` });

    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/missing|required|name what to delete/i);
    expect(pipedBare.code).toBe(2);
    expect(await engine.docker(['inspect', '-f', '{{.Id}} {{.State.Running}}', 'kept'])).toBe(`${id} true`);
    expect((await engine.container('kept')).metadata.name).toBe(kept.metadata.name);
  });
});

describe('the same forgery with the daemon’s credentials', () => {
  it('should take effect, so the refusals above were the permissions at work', async () => {
    const daemonRole = await RoleConnection.open(instance.paths.daemon_creds_file);
    try {
      daemonRole.nc.publish(
        actorSubject(instance.name, 'engine', 'status'),
        JSON.stringify({
          observedGeneration: appBefore.metadata.generation ?? 0,
          status: 'False',
          reason: 'Disconnected',
          message: 'forged with the daemon credentials',
        }),
      );
      await daemonRole.nc.flush();
      const forged = await eventually('the forged engine status in the App', async () => {
        const condition = findCondition((await currentApp()).status.conditions, 'ContainerEngineReady');
        return condition?.message === 'forged with the daemon credentials' ? condition : null;
      });

      expect(daemonRole.violations).toEqual([]);
      expect(forged?.status).toBe('False');
    } finally {
      await daemonRole.close();
    }
  });
});
