/**
 * `rdd ctl logs` on a bus whose max_payload is below the largest log chunk (64 KiB): the user's own
 * server through RDD_NATS_URL, here with 16 KiB. Before chunks were cut to fit, the first chunk's publish
 * threw inside the daemon's log pump, an uncaught exception that stopped the daemon.
 */
import { startTestNats, type TestNats } from '../actors/bus/test-nats.fixtures.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { eventually } from './support/eventually.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';

const maxPayloadBytes = 16 * 1024;
/** One line well over max_payload, so no chunk of it could fit unless cut. */
const lineBytes = 40_000;

describe('logs on a bus with a small max_payload', () => {
  const instance = new TestInstance(uniqueInstance('smalllogs'));
  let nats: TestNats;
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
    await instance.dispose();
    await nats.dispose();
  });

  it('should print a log larger than max_payload whole, and leave the daemon running', async () => {
    // Arrange
    const script = `head -c ${lineBytes} /dev/zero | tr '\\0' x; echo; echo end; sleep 3600`;
    const id = await engine.docker(['run', '-d', '--name', 'wide', busyboxImage, 'sh', '-c', script]);
    await engine.container(id);
    await eventually('wide logs end', async () => (await engine.docker(['logs', 'wide'], 10_000)).includes('end'));
    const before = await instance.json<{ pid: number }>(['svc', 'status']);

    // Act
    const read = await instance.rdd(['ctl', 'logs', 'wide']);

    // Assert: the log did not fit in one message, came whole, and the same daemon still answers
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
    await expect(instance.json<{ pid: number }>(['svc', 'status'])).resolves.toMatchObject({ pid: before.pid });
  });
});
