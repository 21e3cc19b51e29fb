/**
 * The log server as the API reaches it in-process: a stream opened on it is counted and ends with the
 * engine connection, and a stream the connection outlives by a moment is refused, not left running.
 * The bus is a recorder of what the server publishes; the engine is the hand-written fake.
 */
import { PassThrough } from 'node:stream';
import type { NatsConnection } from '@nats-io/transport-node';
import { logKindHeader } from '../../protocol/mirrors/logs.schema.js';
import { logChunkSubject } from '../../protocol/subjects.js';
import { silentLogger } from '../logging.js';
import { FakeEngine } from '../mirrors/fake-engine.fixtures.js';
import { containerFixture } from '../mirrors/mirrors.fixtures.js';
import { startLogServer } from './container-logs.js';

interface Published {
  subject: string;
  kind: string | undefined;
  text: string;
}

/** Records every publish; `next` resolves with the next one, so a test waits on what was sent. */
function recordingBus() {
  const published: Published[] = [];
  const waiting: ((message: Published) => void)[] = [];
  const nc = {
    publish: (subject: string, data: Uint8Array | string, options?: { headers?: { get(key: string): string } }) => {
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
  return { nc, published, next };
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

function serverOver(engine: FakeEngine) {
  const bus = recordingBus();
  const server = startLogServer({ nc: bus.nc, instance: 'unit', engine, logger: silentLogger() });
  return { bus, server };
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
