import { ApiError, NotFoundError } from '../../protocol/errors.js';
import { oneSubscriptionBus } from './one-subscription-bus.fixtures.js';
import { recordingLogger } from './recording-logger.fixtures.js';
import { rejections } from './rejections.js';
import { answerRequest, readJson, RefusedRequest, serveRequests, type RequestEndpoint } from './request-server.js';

interface Reply {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string; details?: unknown };
}

const source = 'unit.request-server';
const counted = () => rejections.snapshot().bySource[source] ?? 0;

/** Serves `endpoint` on a fake bus; `request` delivers a body and resolves to the parsed reply. */
function serve(endpoint: Partial<RequestEndpoint<{ n: number }>>) {
  const bus = oneSubscriptionBus();
  const { logger, lines } = recordingLogger();
  const handled: { n: number }[] = [];
  /** Every reply sent, as it went on the wire. */
  const sent: string[] = [];
  serveRequests(
    bus.nc,
    'rdd.unit.things.>',
    {
      name: 'things',
      parse: (data) => {
        const read = readJson(data);
        if (!read.json) throw new RefusedRequest(`bad thing: not JSON (${read.reason})`, 'not JSON');
        const n = (read.value as { n?: unknown }).n ?? 0;
        if (typeof n !== 'number') throw new RefusedRequest(`bad thing: n must be a number`, 'n: not a number');
        return { n };
      },
      handle: (request) => {
        handled.push(request);
        return Promise.resolve({ twice: request.n * 2 });
      },
      ...endpoint,
    },
    logger,
  );
  const request = (text: string) =>
    new Promise<Reply>((resolve) =>
      bus.deliver({
        subject: 'rdd.unit.things.one',
        data: new TextEncoder().encode(text),
        respond: (bytes: Uint8Array) => {
          const reply = Buffer.from(bytes).toString('utf8');
          sent.push(reply);
          resolve(JSON.parse(reply) as Reply);
        },
      }),
    );
  return { request, handled, sent, lines, deliverError: (error: Error) => bus.fail(error) };
}

describe('serveRequests', () => {
  it('should hand a valid request to the handler and reply with its result', async () => {
    const server = serve({});

    const reply = await server.request('{"n":21}');

    expect(reply).toEqual({ ok: true, result: { twice: 42 } });
    expect(server.handled).toEqual([{ n: 21 }]);
  });

  it('should read an empty body as an empty request', async () => {
    const server = serve({});

    const reply = await server.request('');

    expect(reply).toEqual({ ok: true, result: { twice: 0 } });
  });

  it.each([
    ['not JSON', '{n:', /^bad thing: not JSON \(/, 'not JSON'],
    ['malformed', '{"n":"many"}', /^bad thing: n must be a number$/, 'n: not a number'],
  ])('should refuse a request that is %s before the handler, and count it', async (_case, text, message, issue) => {
    // Arrange
    const server = serve({ rejectionSource: source });
    const before = counted();

    // Act
    const reply = await server.request(text);

    // Assert
    expect(reply).toEqual({ ok: false, error: { code: 'Invalid', message: expect.stringMatching(message) } });
    expect(server.handled).toEqual([]);
    expect(counted()).toBe(before + 1);
    expect(server.lines).toContain(`warn rejected a request on rdd.unit.things.one: ${issue}`);
  });

  it('should not count a refusal on a server without a rejection source', async () => {
    const server = serve({});
    const before = counted();

    const reply = await server.request('{"n":"many"}');

    expect(reply.ok).toBe(false);
    expect(counted()).toBe(before);
  });

  it("should answer a handler's ApiError with its code and message", async () => {
    const server = serve({
      handle: () => Promise.reject(new NotFoundError('thing 7 not found')),
    });

    const reply = await server.request('{"n":7}');

    expect(reply).toEqual({ ok: false, error: { code: 'NotFound', message: 'thing 7 not found' } });
    expect(server.lines).toContain('debug things answered NotFound: thing 7 not found');
  });

  it('should answer any other failure as Internal, and log it as an error', async () => {
    const server = serve({
      handle: () => Promise.reject(new Error('disk on fire')),
      internalMessage: (failure) => `things failed: ${(failure as Error).message}`,
    });

    const reply = await server.request('{"n":1}');

    expect(reply).toEqual({ ok: false, error: { code: 'Internal', message: 'things failed: disk on fire' } });
    expect(server.lines).toContain('error things failed: disk on fire');
  });

  it('should name the endpoint in an Internal reply by default', async () => {
    const server = serve({
      handle: () => {
        throw new Error('synchronously');
      },
    });

    const reply = await server.request('{"n":1}');

    expect(reply.error).toEqual({ code: 'Internal', message: 'failed to handle things: synchronously' });
  });

  it('should log a subscription error and answer nothing', () => {
    const server = serve({});

    server.deliverError(new Error('permissions violation'));

    expect(server.lines).toEqual(['warn things requests: permissions violation']);
    expect(server.handled).toEqual([]);
  });

  it('should keep an ApiError thrown by a parser as it is', async () => {
    const server = serve({
      parse: () => {
        throw new ApiError('Forbidden', 'not yours');
      },
      rejectionSource: source,
    });
    const before = counted();

    const reply = await server.request('{}');

    expect(reply.error).toEqual({ code: 'Forbidden', message: 'not yours' });
    expect(counted()).toBe(before);
  });
});

describe('answerRequest and what a client chose to send', () => {
  const endpoint = { name: 'things', parse: () => ({}), handle: () => Promise.resolve({ n: 1 }) };

  it('should answer a message whose headers cannot be decoded, without a trace, and never throw', async () => {
    // nats.js decodes headers lazily and throws for a name with a space or a line break; a throw in a
    // subscription callback stops the connection reading.
    const replies: string[] = [];
    const msg = {
      subject: 'rdd.unit.things.one',
      reply: '_INBOX.r1',
      data: new Uint8Array(),
      get headers(): { get(key: string): string } {
        throw new Error('invalid header: "A\nB"');
      },
      respond: (bytes: Uint8Array) => replies.push(Buffer.from(bytes).toString('utf8')) > 0,
    };

    await answerRequest(msg, endpoint, recordingLogger().logger, { info: undefined });

    expect(replies).toEqual(['{"ok":true,"result":{"n":1}}']);
  });

  it('should not run the handler nor reply when the reply subject is not an inbox', async () => {
    let handled = 0;
    let replied = 0;
    const msg = {
      subject: 'rdd.unit.things.one',
      reply: '$JS.API.STREAM.PURGE.KV_rdd_unit_resources',
      data: new Uint8Array(),
      respond: () => ++replied > 0,
    };

    await answerRequest(msg, { ...endpoint, handle: () => Promise.resolve(++handled) }, recordingLogger().logger, {
      info: undefined,
    });

    expect(handled).toBe(0);
    expect(replied).toBe(0);
  });
});

describe('answerRequest when the connection refuses the reply', () => {
  it('should log the failure and resolve, never reject (an unhandled rejection stops the daemon)', async () => {
    // Arrange: a publish that throws, as nats.js does for a message over the server's max_payload.
    const { logger, lines } = recordingLogger();
    let attempts = 0;
    const msg = {
      subject: 'rdd.unit.things.one',
      data: new Uint8Array(),
      respond: () => {
        attempts++;
        throw new Error("'payload' max_payload size exceeded");
      },
    };
    const endpoint = { name: 'things', parse: () => ({}), handle: () => Promise.resolve({ n: 1 }) };

    // Act
    const answered = answerRequest(msg, endpoint, logger, { info: undefined });

    // Assert
    await expect(answered).resolves.toBeUndefined();
    expect(attempts).toBe(1);
    expect(lines).toContain("warn things could not send its reply: 'payload' max_payload size exceeded");
  });
});

describe('serveRequests for a subject with its own reply format', () => {
  it('should put what encodeReply makes of the envelope on the wire, for a result and for a failure', async () => {
    // Arrange
    const encodeReply = (envelope: { ok: boolean }) => ({ wire: envelope });
    const server = serve({ encodeReply });

    // Act
    const answered = await server.request('{"n":2}');
    const refused = await server.request('{"n":"many"}');

    // Assert
    expect(answered).toEqual({ wire: { ok: true, result: { twice: 4 } } });
    expect(refused).toEqual({
      wire: { ok: false, error: { code: 'Invalid', message: 'bad thing: n must be a number' } },
    });
  });

  it('should run afterReply once the reply is sent, and only for a request answered ok', async () => {
    // Arrange
    const repliesBefore: number[] = [];
    const server = serve({ afterReply: () => void repliesBefore.push(server.sent.length) });

    // Act
    await server.request('{"n":3}');
    await server.request('{"n":"many"}');

    // Assert
    expect(server.sent).toHaveLength(2);
    expect(repliesBefore).toEqual([1]);
  });

  it('should log an afterReply that throws, and still have replied', async () => {
    // Arrange
    const server = serve({
      afterReply: () => {
        throw new Error('already gone');
      },
    });

    // Act
    const reply = await server.request('{"n":1}');

    // Assert
    expect(reply).toEqual({ ok: true, result: { twice: 2 } });
    expect(server.lines).toContain('warn things failed after its reply: already gone');
  });
});
