/**
 * The daemon's life against a real nats-server: start, authenticated API, a bus that dies and comes
 * back with its data, stop, restart, one daemon per instance, delete.
 */
import fs from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { ApiClient, connectBus, readCredentials } from '../client/api-client.js';
import { isAlive, commandLine } from '../host/processes.js';
import type { Resource, WatchEvent } from '../protocol/resource.schema.js';
import { ResourceStore } from '../client/store.js';
import { apiSubject } from '../protocol/subjects.js';
import { readPid, TestInstance, uniqueInstance } from './support/cli.js';
import { eventually } from './support/eventually.js';

interface SvcStatus {
  instance: string;
  created: boolean;
  running: boolean;
  pid: number | null;
  natsUrl: string | null;
  version: string;
  children?: { supervisor: string; id: string; restarts: number; running: boolean }[];
}

const note = (name: string, text: string): Resource => ({
  apiVersion: 'test.rdd/v1',
  kind: 'Note',
  metadata: { name },
  spec: { text },
});

describe('rdd svc', () => {
  const instance = new TestInstance(uniqueInstance('svc'));

  afterAll(() => instance.dispose());

  it('should report an instance that was never started as neither created nor running', async () => {
    const status = await instance.json<SvcStatus>(['svc', 'status']);

    expect(status).toMatchObject({ instance: instance.name, created: false, running: false, pid: null });
  });

  it('should start a daemon that reports itself running with its bus URL', async () => {
    const started = await instance.rdd(['svc', 'start']);
    const status = await instance.json<SvcStatus>(['svc', 'status']);

    expect(started.code).toBe(0);
    expect(started.stderr).toContain('Started rdd daemon');
    expect(status).toMatchObject({ created: true, running: true, instance: instance.name });
    expect(status.natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(status.pid).toBe(readPid(instance.paths.pid_file));
    expect(status.children?.map((child) => `${child.supervisor}/${child.id}`).sort()).toEqual([
      'app/app',
      'app/engine',
      'app/vm',
      'root/api',
      'root/app',
      'root/bus',
      'root/inspection',
      'root/store',
    ]);
  });

  it('should keep credentials 0600 and directories 0700', () => {
    const mode = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8);

    expect(
      [instance.paths.creds_file, instance.paths.watch_creds_file, instance.paths.daemon_creds_file].map(mode),
    ).toEqual(['600', '600', '600']);
    expect(mode(instance.paths.nats_config)).toBe('600');
    expect([instance.paths.dir, instance.paths.log_dir, instance.paths.run_dir].map(mode)).toEqual([
      '700',
      '700',
      '700',
    ]);
    expect(fs.readFileSync(instance.paths.nats_config, 'utf8')).toContain('127.0.0.1:');
  });

  it('should refuse an anonymous NATS client', async () => {
    const { natsUrl } = await instance.json<SvcStatus>(['svc', 'status']);

    await expect(connect({ servers: natsUrl as string, reconnect: false, timeout: 3_000 })).rejects.toThrow(
      /authorization/i,
    );
  });

  it('should answer a request made with the credentials and reject malformed ones with Invalid', async () => {
    const nc = await connectBus(await readCredentials(instance.paths.creds_file));
    try {
      const api = new ApiClient(nc, instance.name);
      const status = await api.request('svc.status', {});
      const raw = async (
        subject: string,
        body: string,
      ): Promise<{ ok: boolean; error?: { code: string; message: string } }> =>
        JSON.parse((await nc.request(subject, body, { timeout: 5_000 })).string()) as { ok: boolean };

      const badJson = await raw(apiSubject(instance.name, 'svc', 'status'), '{not json');
      const wrongShape = await raw(apiSubject(instance.name, 'resource', 'get'), JSON.stringify({ kind: 42 }));
      const unknownVerb = await raw(apiSubject(instance.name, 'svc', 'explode'), '{}');
      const missing = api.request('resource.get', { kind: 'Container', name: 'absent' });

      expect(status.instance).toBe(instance.name);
      expect(badJson).toMatchObject({ ok: false, error: { code: 'Invalid' } });
      expect(badJson.error?.message).toMatch(/not JSON/);
      expect(wrongShape).toMatchObject({ ok: false, error: { code: 'Invalid' } });
      expect(wrongShape.error?.message).toMatch(/kind/);
      expect(unknownVerb).toMatchObject({ ok: false, error: { code: 'Invalid' } });
      expect(unknownVerb.error?.message).toMatch(/valid endpoints: .*svc\.status/);
      await expect(missing).rejects.toMatchObject({ code: 'NotFound' });
      // Garbage on the actor-to-actor subjects (only the daemon role may publish there) is dropped, never fatal.
      const daemonRole = await connectBus(await readCredentials(instance.paths.daemon_creds_file));
      for (const subject of ['vm.desired', 'engine.desired', 'vm.status', 'engine.status']) {
        daemonRole.publish(`rdd.${instance.name}.${subject}`, '{not json');
        daemonRole.publish(`rdd.${instance.name}.${subject}`, JSON.stringify({ generation: 'x' }));
      }
      await daemonRole.close();
      await expect(api.request('svc.status', {})).resolves.toMatchObject({ pid: status.pid });
    } finally {
      await nc.close();
    }
  });

  it('should restart a killed nats-server with the KV data intact and a KV watch still delivering', async () => {
    // Only the daemon role writes the store; a client watches it.
    const writer = await connectBus(await readCredentials(instance.paths.daemon_creds_file), { reconnect: true });
    const watcher = await connectBus(await readCredentials(instance.paths.creds_file), { reconnect: true });
    const abort = new AbortController();
    try {
      const store = await ResourceStore.open(writer, instance.name);
      await store.create(note('before', 'written before the crash'));
      const seen: WatchEvent[] = [];
      const watching = (async () => {
        for await (const event of (await ResourceStore.open(watcher, instance.name)).watch(
          { kind: 'Note' },
          abort.signal,
        )) {
          seen.push(event);
        }
      })();
      await eventually('the watch to see the first note', () => Promise.resolve(seen.length >= 1));
      const serverPid = readPid(instance.paths.nats_pid_file) as number;

      process.kill(serverPid, 'SIGKILL');
      const restartedPid = await eventually('a new nats-server', () => {
        const pid = readPid(instance.paths.nats_pid_file);
        return Promise.resolve(pid !== null && pid !== serverPid && isAlive(pid) ? pid : null);
      });
      const status = await eventually('the daemon to answer again', async () => {
        const current = await instance.json<SvcStatus>(['svc', 'status']);
        return current.running ? current : null;
      });
      const survivor = await eventually('the store to answer again', () => store.get('Note', 'before'));
      await eventually('a write after the restart', () =>
        store.create(note('after', 'written after the restart')).then(() => true),
      );
      await eventually('the watch to deliver the new note', () =>
        Promise.resolve(seen.some((event) => event.object.metadata.name === 'after' && event.type === 'ADDED')),
      );

      expect(restartedPid).not.toBe(serverPid);
      expect(survivor.spec).toEqual({ text: 'written before the crash' });
      expect(status.children?.find((child) => child.id === 'bus')?.restarts).toBe(1);
      abort.abort();
      await watching;
    } finally {
      abort.abort();
      await writer.close();
      await watcher.close();
    }
  });

  it('should stop the daemon and its nats-server, and keep the data for the next start', async () => {
    const daemonPid = readPid(instance.paths.pid_file) as number;
    const serverPid = readPid(instance.paths.nats_pid_file) as number;

    const stopped = await instance.rdd(['svc', 'stop']);
    const afterStop = await instance.json<SvcStatus>(['svc', 'status']);
    await instance.ok(['svc', 'start']);
    const nc = await connectBus(await readCredentials(instance.paths.creds_file));
    const kept = await (await ResourceStore.open(nc, instance.name)).get('Note', 'before');
    await nc.close();

    expect(stopped.code).toBe(0);
    expect(isAlive(daemonPid)).toBe(false);
    expect(isAlive(serverPid)).toBe(false);
    expect(afterStop).toMatchObject({ created: true, running: false, pid: null });
    expect(kept?.spec).toEqual({ text: 'written before the crash' });
  });

  it('should report the running daemon instead of starting a second one', async () => {
    await instance.ok(['svc', 'stop']);

    const results = await Promise.all([instance.rdd(['svc', 'start']), instance.rdd(['svc', 'start'])]);
    const status = await instance.json<SvcStatus>(['svc', 'status']);
    const again = await instance.rdd(['svc', 'start']);
    // The loser of the race may still be booting when the winner answers; it must exit without serving.
    const daemons = await eventually('the second daemon to give up', async () => {
      const found = await daemonsOf(instance.name);
      return found.length === 1 ? found : null;
    });

    expect(results.map((result) => result.code)).toEqual([0, 0]);
    expect(status.running).toBe(true);
    expect(daemons).toEqual([status.pid]);
    expect(again.stderr).toContain(`already running (pid ${status.pid})`);
  });

  it('should remove every directory of the instance on delete', async () => {
    const serverPid = readPid(instance.paths.nats_pid_file) as number;

    const deleted = await instance.rdd(['svc', 'delete']);
    const status = await instance.json<SvcStatus>(['svc', 'status']);

    expect(deleted.code).toBe(0);
    expect(
      [instance.paths.dir, instance.paths.log_dir, instance.paths.run_dir].filter((dir) => fs.existsSync(dir)),
    ).toEqual([]);
    expect(isAlive(serverPid)).toBe(false);
    expect(status).toMatchObject({ created: false, running: false });
  });
});

/** Pids of live daemon processes of this instance (read-only look at /proc; nothing is signalled). */
async function daemonsOf(name: string): Promise<number[]> {
  const pids = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
  const found: number[] = [];
  for (const pid of pids) {
    const command = await commandLine(pid);
    if (command?.includes('rdd-daemon') && command.includes(`--instance ${name}`)) found.push(pid);
  }
  return found;
}
