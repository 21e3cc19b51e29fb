/**
 * The bus's trust boundary, enforced by nats-server: a program holding the client's (or the watch
 * role's) credentials — and never the daemon's — cannot forge what the actors tell each other, write
 * the store, reach the JetStream admin API or read other roles' messages. Each forgery must first be
 * seen refused (a permissions violation naming its subject); then the engine, its containers, the App
 * and the mirrors must be exactly as before. A last test sends one forgery with the daemon's
 * credentials and sees it take effect, so the refusals are the permissions at work, not a dead subject.
 * What a client can do through the daemon's own subscriptions (replays, reply subjects) is in
 * trust-boundary-replies.e2e.test.ts. And no argument is ever read from stdin: a piped name must not become the target of a delete.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { App } from '../protocol/app.schema.js';
import { findCondition } from '../protocol/condition.schema.js';
import { ApiClient } from '../client/api-client.js';
import type { Container } from '../protocol/mirrors/container.schema.js';
import { ResourceStore } from '../client/store.js';
import { actorSubject, faultInjectionSubject, mirrorSubject, resourceBucket } from '../protocol/subjects.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { survivors, type Survivors } from './support/faults.js';
import type { EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';
import { currentApp as appOf, RoleConnection, startGuarded } from './support/trust-boundary.js';

const instance = new TestInstance(uniqueInstance('perm'));
instance.env.RDD_FAULT_INJECTION = '1';
let engine: EngineSession;
let before: Survivors;
let appBefore: App;
const bucketStream = `KV_${resourceBucket(instance.name)}`;

const currentApp = (): Promise<App> => appOf(instance);

/** The App's conditions as type=status/reason, for comparison across a forgery. */
function conditionsOf(app: App): string[] {
  return app.status.conditions.map((condition) => `${condition.type}=${condition.status}/${condition.reason}`);
}

beforeAll(async () => {
  ({ engine, before, appBefore } = await startGuarded(instance));
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
