import { headers, type NatsConnection } from '@nats-io/transport-node';
import { recordingLogger } from '../actors/bus/recording-logger.fixtures.js';
import { serveRequests } from '../actors/bus/request-server.js';
import { startTestNats, type TestNats } from '../actors/bus/test-nats.fixtures.js';
import { ApiError } from '../protocol/api-error.js';
import { replyPartHeader } from '../protocol/resource-names.js';
import { requestEnveloped } from './api-client.js';

/** Small enough that a listing of a few dozen items does not fit in one message. */
const maxPayloadBytes = 4096;

describe('requestEnveloped on a bus that takes at most 4 KiB per message', () => {
  let nats: TestNats;
  let server: NatsConnection;
  let client: NatsConnection;

  beforeAll(async () => {
    nats = await startTestNats({ maxPayloadBytes });
    server = await nats.connect();
    client = await nats.connect();
  });

  afterAll(() => nats.dispose());

  const ask = (subject: string, timeoutMs = 5_000) =>
    requestEnveloped(client, subject, {}, { timeoutMs, what: 'unit.list', silent: 'nobody serves unit.list' });

  it('should put a reply too large for one message back together from its parts, in order', async () => {
    // Arrange
    const items = Array.from({ length: 200 }, (_, index) => `item ${index} ${'x'.repeat(index % 50)}`);
    const { logger } = recordingLogger();
    const served = serveRequests(
      server,
      'rdd.unit.parts.list',
      { name: 'unit.list', parse: () => ({}), handle: () => Promise.resolve({ items }) },
      logger,
    );
    const partHeaders: string[] = [];
    const spy = client.subscribe('_INBOX.>', {
      callback: (_error, msg) => void partHeaders.push(msg.headers?.get(replyPartHeader) ?? 'whole'),
    });
    await server.flush();

    // Act
    const result = await ask('rdd.unit.parts.list');

    // Assert: the fault is real (the reply is larger than one message may be), and so is the recovery.
    expect(JSON.stringify({ ok: true, result: { items } }).length).toBeGreaterThan(maxPayloadBytes);
    expect(result).toEqual({ items });
    expect(partHeaders.length).toBeGreaterThan(1);
    expect(partHeaders).toEqual(partHeaders.map((_, index) => `${index + 1}/${partHeaders.length}`));
    served.unsubscribe();
    spy.unsubscribe();
  });

  it('should take a reply that fits as one message, with no part header', async () => {
    const { logger } = recordingLogger();
    const served = serveRequests(
      server,
      'rdd.unit.whole.get',
      { name: 'unit.get', parse: () => ({}), handle: () => Promise.resolve({ answer: 42 }) },
      logger,
    );
    await server.flush();

    await expect(ask('rdd.unit.whole.get')).resolves.toEqual({ answer: 42 });
    served.unsubscribe();
  });

  it('should say Unavailable with its message when nobody serves the subject', async () => {
    await expect(ask('rdd.unit.nobody.home')).rejects.toMatchObject({
      code: 'Unavailable',
      message: 'nobody serves unit.list',
    });
  });

  it('should time out when a part never comes, naming what it asked', async () => {
    // A responder that dies after its first part.
    const served = server.subscribe('rdd.unit.half.list', {
      callback: (_error, msg) => {
        const part = headers();
        part.set(replyPartHeader, '1/2');
        msg.respond('{"ok":true,', { headers: part });
      },
    });
    await server.flush();

    const failure = await ask('rdd.unit.half.list', 300).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'Timeout', message: 'no answer to unit.list within 300 ms' });
    served.unsubscribe();
  });

  it('should refuse parts that come out of order as a malformed reply', async () => {
    const served = server.subscribe('rdd.unit.shuffled.list', {
      callback: (_error, msg) => {
        const part = headers();
        part.set(replyPartHeader, '2/2');
        msg.respond('"result":1}', { headers: part });
      },
    });
    await server.flush();

    await expect(ask('rdd.unit.shuffled.list')).rejects.toMatchObject({
      code: 'Internal',
      message: 'malformed reply to unit.list: its parts do not add up',
    });
    served.unsubscribe();
  });
});
