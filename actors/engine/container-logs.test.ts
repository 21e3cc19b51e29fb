/**
 * The log server as the API reaches it in-process: a stream opened on it is counted and ends with the
 * engine connection, and a stream the connection outlives by a moment is refused, not left running.
 * The bus is a recorder of what the server publishes; the engine is the hand-written fake.
 */
import { PassThrough } from 'node:stream';
import type { NatsConnection } from '@nats-io/transport-node';
import { logKindHeader, maxLogChunkBytes } from '../../protocol/mirrors/logs.schema.js';
import { logChunkSubject } from '../../protocol/subjects.js';
import { recordingLogger } from '../bus/recording-logger.fixtures.js';
import { drained } from '../drained.fixtures.js';
import { FakeEngine } from '../mirrors/fake-engine.fixtures.js';
import { containerFixture } from '../mirrors/mirrors.fixtures.js';
import { chunkBytesFor, startLogServer } from './container-logs.js';

interface Published {
  subject: string;
  kind: string | undefined;
  text: string;
}

/**
 * Records every publish; `next` resolves with the next one, so a test waits on what was sent. `refuse`
 * makes every publish from then on throw, as nats.js does once the connection is closed.
 */
function recordingBus(info?: { max_payload: number }) {
  const published: Published[] = [];
  const waiting: ((message: Published) => void)[] = [];
  let refusal: Error | null = null;
  let refused = 0;
  const nc = {
    info,
    publish: (subject: string, data: Uint8Array | string, options?: { headers?: { get(key: string): string } }) => {
      if (refusal) {
        refused += 1;
        throw refusal;
      }
      const message = {
        subject,
        kind: options?.headers?.get(logKindHeader),
        text: typeof data === 'string' ? data : Buffer.from(data).toString(),
      };
      published.push(message);
      waiting.shift()?.(message);
    },
    subscribe: () => ({ unsubscribe: () => undefined }),
  } as unknown as NatsConnection;
  const next = () => new Promise<Published>((resolve) => waiting.push(resolve));
  const refuse = (error: Error) => (refusal = error);
  return { nc, published, next, refuse, refusedCount: () => refused };
}

/** One stdout frame of a multiplexed (non-TTY) log stream. */
function stdoutFrame(text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

const web = containerFixture('web');
const streamId = 'stream0123456789';
const request = {
  name: web.Id,
  id: streamId,
  follow: true,
  tail: -1,
  since: 0,
  timestamps: false,
  window: 8,
};

function serverOver(engine: FakeEngine, info?: { max_payload: number }) {
  const bus = recordingBus(info);
  const { logger, lines } = recordingLogger();
  const server = startLogServer({ nc: bus.nc, instance: 'unit', engine, logger });
  return { bus, server, lines };
}

/** An engine with container web whose log streams are the returned in-memory streams, one per open. */
function engineWithLogs() {
  const engine = new FakeEngine();
  engine.addContainer(web);
  const sources: PassThrough[] = [];
  engine.logStreams.set(web.Id, () => {
    const source = new PassThrough();
    sources.push(source);
    return source;
  });
  return { engine, sources };
}

describe('startLogServer', () => {
  it('should send an opened stream to the reader, count it, and end it with the engine connection', async () => {
    // Arrange
    const engine = new FakeEngine();
    engine.addContainer(web);
    const source = new PassThrough();
    engine.logStreams.set(web.Id, () => source);
    const { bus, server } = serverOver(engine);

    // Act
    const reply = await server.open(request);
    const chunk = bus.next();
    source.write(stdoutFrame('hello\n'));
    const sent = await chunk;
    const openWhileConnected = server.openStreams;
    server.stop('engine-gone');

    // Assert
    expect(reply).toEqual({ id: streamId, tty: false });
    expect(sent).toEqual({ subject: logChunkSubject(streamId), kind: 'stdout', text: 'hello\n' });
    expect(openWhileConnected).toBe(1);
    expect(server.openStreams).toBe(0);
    expect(bus.published.at(-1)).toEqual({
      subject: logChunkSubject(streamId),
      kind: 'end',
      text: JSON.stringify({ reason: 'engine-gone' }),
    });
    expect(source.destroyed).toBe(true);
  });

  it('should refuse, as Unavailable, a stream whose engine connection ended while it was being opened', async () => {
    // Arrange: the connection ends while the engine is asked for the logs
    const engine = new FakeEngine();
    engine.addContainer(web);
    const source = new PassThrough();
    let endConnection = (): void => undefined;
    engine.logStreams.set(web.Id, () => {
      endConnection();
      return source;
    });
    const { bus, server } = serverOver(engine);
    endConnection = () => server.stop('engine-gone');

    // Act
    const refused = server.open(request);

    // Assert: refused first, then nothing was left open or sent
    await expect(refused).rejects.toMatchObject({
      code: 'Unavailable',
      message: `the engine connection ended while opening the logs of ${web.Id}`,
    });
    expect(server.openStreams).toBe(0);
    expect(source.destroyed).toBe(true);
    expect(bus.published).toEqual([]);
  });

  it('should refuse a second stream with the id of one already open', async () => {
    const engine = new FakeEngine();
    engine.addContainer(web);
    engine.logStreams.set(web.Id, () => new PassThrough());
    const { server } = serverOver(engine);
    await server.open(request);

    const again = server.open(request);

    await expect(again).rejects.toMatchObject({ code: 'Invalid', message: `log stream ${streamId} is already open` });
    expect(server.openStreams).toBe(1);
    server.stop('engine-gone');
  });
});

describe('startLogServer when the bus refuses what it sends', () => {
  it('should end a stream whose chunk the bus refuses, logging it once, and keep serving', async () => {
    // Arrange
    const { engine, sources } = engineWithLogs();
    const { bus, server, lines } = serverOver(engine);
    await server.open(request);
    bus.refuse(new Error('CONNECTION_CLOSED'));

    // Act: the chunk goes out from a setImmediate, where a throw would stop the daemon
    sources[0]!.write(stdoutFrame('hello\n'));
    await drained();

    // Assert: the chunk and the end were both refused, the stream is closed, and it was said once
    expect(bus.refusedCount()).toBe(2);
    expect(server.openStreams).toBe(0);
    expect(sources[0]!.destroyed).toBe(true);
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([
      `warn log stream ${streamId} of ${web.Id}: ending it, the bus refused it: CONNECTION_CLOSED`,
    ]);
    await expect(server.open({ ...request, id: 'another0123456789' })).resolves.toMatchObject({ tty: false });
    server.stop('engine-gone');
  });

  it('should stop every stream when the connection closed under them, whichever end is refused first', async () => {
    // Arrange: two open streams, then the bus closes (nats-server gone before the engine actor stops)
    const { engine, sources } = engineWithLogs();
    const { bus, server } = serverOver(engine);
    await server.open(request);
    await server.open({ ...request, id: 'second0123456789' });
    bus.refuse(new Error('CONNECTION_CLOSED'));

    // Act
    const stopping = () => server.stop('engine-gone');

    // Assert
    expect(stopping).not.toThrow();
    expect(bus.refusedCount()).toBe(2);
    expect(server.openStreams).toBe(0);
    expect(sources.map((source) => source.destroyed)).toEqual([true, true]);
  });

  it('should cut chunks to fit a bus whose max_payload is below the largest log chunk', async () => {
    // Arrange: a user's server with a small max_payload
    const { engine, sources } = engineWithLogs();
    const { bus, server } = serverOver(engine, { max_payload: 4096 });
    await server.open(request);

    // Act
    sources[0]!.write(stdoutFrame('x'.repeat(10_000)));
    await drained();
    server.stop('engine-gone');

    // Assert: all of it sent, each chunk with room for its header under max_payload
    const chunks = bus.published.filter((message) => message.kind === 'stdout');
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('x'.repeat(10_000));
    expect(Math.max(...chunks.map((chunk) => chunk.text.length))).toBe(chunkBytesFor(bus.nc));
    expect(chunkBytesFor(bus.nc)).toBeLessThan(4096);
    expect(chunkBytesFor({ info: undefined })).toBe(maxLogChunkBytes);
  });
});
