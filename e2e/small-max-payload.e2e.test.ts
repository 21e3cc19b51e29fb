/**
 * A daemon on a bus whose max_payload is smaller than what it sends: the user's own server through
 * RDD_NATS_URL, here with 16 KiB, which makes a dozen containers or one wide log line enough. NATS's
 * default of 1 MiB is met the same way by a listing of a thousand containers (about 2 MB). Before
 * replies were split and log chunks cut to fit, nats.js's publish threw inside the daemon: the first
 * `resource.list` or `rdd ctl logs` that did not fit stopped it.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { ApiClient } from '../client/api-client.js';
import { startTestNats, type TestNats } from '../actors/bus/test-nats.fixtures.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { eventually } from './support/eventually.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';

const maxPayloadBytes = 16 * 1024;
/** One log line well over max_payload, so no chunk of it could fit unless cut. */
const lineBytes = 40_000;
const containers = 12;

const instance = new TestInstance(uniqueInstance('smallpayload'));
let nats: TestNats;
let nc: NatsConnection | undefined;
let engine: EngineSession;

beforeAll(async () => {
  nats = await startTestNats({ maxPayloadBytes });
  Object.assign(instance.env, {
    RDD_NATS_URL: nats.server.url,
    RDD_NATS_USER: 'test',
    RDD_NATS_PASSWORD: 'test-password',
  });
  engine = await EngineSession.start(instance);
}, 240_000);

afterAll(async () => {
  await nc?.close();
  await instance.dispose();
  await nats.dispose();
});

async function daemonPid(): Promise<number> {
  return (await instance.json<{ pid: number }>(['svc', 'status'])).pid;
}

describe('a reply larger than one bus message', () => {
  it('should come in parts that the client puts together, and leave the daemon running', async () => {
    // Arrange
    const ids: string[] = [];
    for (let index = 0; index < containers; index++) ids.push(await engine.sleeper({ created: true }));
    await eventually(
      `${containers} container mirrors`,
      async () => (await engine.list('containers')).length >= containers,
    );
    nc = await nats.connect();
    const api = new ApiClient(nc, instance.name);
    const before = await daemonPid();

    // Act
    const listed = await api.request('resource.list', { kind: 'Container' });

    // Assert: the fault is real (the listing does not fit in one message), and the daemon lived through it.
    expect(JSON.stringify(listed).length).toBeGreaterThan(maxPayloadBytes);
    expect(listed.items.map((item) => item.metadata.name).sort()).toEqual([...ids].sort());
    expect(listed.leftOut).toEqual([]);
    expect(await daemonPid()).toBe(before);
  });
});

describe('a log larger than one bus message', () => {
  it('should print whole, and leave the daemon running', async () => {
    // Arrange
    const script = `head -c ${lineBytes} /dev/zero | tr '\\0' x; echo; echo end; sleep 3600`;
    const id = await engine.docker(['run', '-d', '--name', 'wide', busyboxImage, 'sh', '-c', script]);
    await engine.container(id);
    await eventually('wide logs end', async () => (await engine.docker(['logs', 'wide'], 10_000)).includes('end'));
    const before = await daemonPid();

    // Act
    const read = await instance.rdd(['ctl', 'logs', 'wide']);

    // Assert: the log did not fit in one message, came whole, and the same daemon still answers.
    expect(read.stderr).toBe('');
    expect(read.code).toBe(0);
    // Compared by shape, so a failure does not print 40 KB.
    const [wide, last, ...rest] = read.stdout.split('\n');
    expect({ length: wide?.length, onlyX: /^x*$/.test(wide ?? ''), last, rest }).toEqual({
      length: lineBytes,
      onlyX: true,
      last: 'end',
      rest: [''],
    });
    expect(read.stdout.length).toBeGreaterThan(maxPayloadBytes);
    expect(await daemonPid()).toBe(before);
  });
});
