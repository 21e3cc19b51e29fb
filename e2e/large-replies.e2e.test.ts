/**
 * A reply larger than the bus takes in one message. A listing of a thousand containers is about 2 MB,
 * twice NATS's default max_payload: before replies were split, one `resource.list` made the daemon's
 * publish throw and the daemon stop. A bus with a 16 KiB max_payload (the user's own server, through
 * RDD_NATS_URL) makes a dozen containers enough to show it.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { ApiClient } from '../client/api-client.js';
import { startTestNats, type TestNats } from '../actors/bus/test-nats.fixtures.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { eventually } from './support/eventually.js';
import { EngineSession } from './support/mirrors.js';

const maxPayloadBytes = 16 * 1024;
const containers = 12;

describe('a reply larger than one bus message', () => {
  const instance = new TestInstance(uniqueInstance('bigreply'));
  let nats: TestNats;
  let nc: NatsConnection | undefined;
  let session: EngineSession;

  beforeAll(async () => {
    nats = await startTestNats({ maxPayloadBytes });
    Object.assign(instance.env, {
      RDD_NATS_URL: nats.server.url,
      RDD_NATS_USER: 'test',
      RDD_NATS_PASSWORD: 'test-password',
    });
    session = await EngineSession.start(instance);
  });

  afterAll(async () => {
    await nc?.close();
    await instance.dispose();
    await nats.dispose();
  });

  it('should come in parts that the client puts together, and leave the daemon running', async () => {
    // Arrange
    const ids: string[] = [];
    for (let index = 0; index < containers; index++) ids.push(await session.sleeper({ created: true }));
    await eventually(
      `${containers} container mirrors`,
      async () => (await session.list('containers')).length >= containers,
    );
    nc = await nats.connect();
    const api = new ApiClient(nc, instance.name);
    const before = await api.request('svc.status', {});

    // Act
    const listed = await api.request('resource.list', { kind: 'Container' });

    // Assert: the fault is real (the listing does not fit in one message), and the daemon lived through it.
    expect(JSON.stringify(listed).length).toBeGreaterThan(maxPayloadBytes);
    expect(listed.items.map((item) => item.metadata.name).sort()).toEqual([...ids].sort());
    expect(listed.leftOut).toEqual([]);
    await expect(api.request('svc.status', {})).resolves.toMatchObject({ pid: before.pid });
  });
});
