/** The flow control of a log stream, driven with an in-memory stream in place of the engine's. */
import { PassThrough } from 'node:stream';
import type { ApiError } from '../../protocol/errors.js';
import { maxLogChunkBytes, type LogEndReason, type LogStreamName } from '../../protocol/mirrors/logs.schema.js';
import { drained } from '../drained.fixtures.js';
import { FrameDemuxer, LogPump } from './log-pump.js';

function frame(stream: 1 | 2, text: string | Buffer): Buffer {
  const payload = typeof text === 'string' ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function recordingSink() {
  const chunks: { stream: LogStreamName; text: string }[] = [];
  const ends: { reason: LogEndReason; error?: ApiError }[] = [];
  return {
    chunks,
    ends,
    sink: {
      chunk: (stream: LogStreamName, data: Uint8Array) => chunks.push({ stream, text: Buffer.from(data).toString() }),
      end: (reason: LogEndReason, error?: ApiError) => ends.push({ reason, ...(error ? { error } : {}) }),
    },
  };
}

/** The pump batches a turn's reads with setImmediate: wait until that, and all it leads to, has run. */
const settle = drained;

describe('FrameDemuxer', () => {
  it('should split stdout and stderr frames, keeping a frame cut across reads until its end arrives', () => {
    const demuxer = new FrameDemuxer();
    const bytes = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]);

    const first = demuxer.push(bytes.subarray(0, 10));
    const rest = demuxer.push(bytes.subarray(10));

    expect(first.map((c) => [c.stream, Buffer.from(c.data).toString()])).toEqual([]);
    expect(demuxer.pendingBytes).toBe(0);
    expect(rest.map((c) => [c.stream, Buffer.from(c.data).toString()])).toEqual([
      ['stdout', 'out\n'],
      ['stderr', 'err\n'],
    ]);
  });

  it('should join a run of frames of one stream into one chunk, starting a new one when the stream changes', () => {
    const chunks = new FrameDemuxer().push(
      Buffer.concat([frame(1, 'a\n'), frame(1, 'b\n'), frame(2, 'c\n'), frame(1, 'd\n')]),
    );

    expect(chunks.map((c) => [c.stream, Buffer.from(c.data).toString()])).toEqual([
      ['stdout', 'a\nb\n'],
      ['stderr', 'c\n'],
      ['stdout', 'd\n'],
    ]);
  });

  it('should cut a frame bigger than the largest chunk into chunks of at most that size', () => {
    const chunks = new FrameDemuxer().push(frame(1, Buffer.alloc(maxLogChunkBytes * 2 + 5, 'a')));

    expect(chunks.map((c) => c.data.length)).toEqual([maxLogChunkBytes, maxLogChunkBytes, 5]);
  });
});

describe('LogPump', () => {
  it('should send one chunk per credit, pause the engine stream when the credit is spent and resume on a grant', async () => {
    const source = new PassThrough();
    const { chunks, ends, sink } = recordingSink();
    const pump = new LogPump(source, { tty: false, window: 2, follow: false }, sink);

    source.write(Buffer.concat([frame(1, 'a'), frame(2, 'b'), frame(1, 'c'), frame(2, 'd')]));
    await settle();

    expect(chunks.map((c) => c.text)).toEqual(['a', 'b']);
    expect(source.isPaused()).toBe(true);
    expect(pump.pendingChunks).toBe(2);

    pump.grant(5);

    expect(chunks.map((c) => `${c.stream}:${c.text}`)).toEqual(['stdout:a', 'stderr:b', 'stdout:c', 'stderr:d']);
    expect(source.isPaused()).toBe(false);
    expect(ends).toEqual([]);
  });

  it('should join what waits for credit into as few chunks as fit, per stream', async () => {
    const source = new PassThrough();
    const { chunks, sink } = recordingSink();
    const pump = new LogPump(source, { tty: true, window: 1, follow: true }, sink);
    source.write('a');
    await settle();
    source.write('b');
    source.write('c');
    await settle();

    pump.grant(5);

    expect(chunks.map((c) => c.text)).toEqual(['a', 'bc']);
  });

  it('should not read from a paused engine stream however much it has to give', async () => {
    const source = new PassThrough({ highWaterMark: 16 });
    const { chunks, sink } = recordingSink();
    const pump = new LogPump(source, { tty: true, window: 1, follow: true }, sink);

    source.write('first');
    await settle();
    source.write('second');
    await settle();
    const accepted = source.write('third and more bytes than the high water mark');
    await settle();

    expect(chunks.map((c) => c.text)).toEqual(['first']);
    expect(pump.pendingChunks).toBe(1);
    // The writer feels the backpressure: what the reader does not take stays in the engine's stream.
    expect(accepted).toBe(false);
  });

  it('should send the end only after the chunks that wait for credit, naming a follow end container-stopped', async () => {
    const source = new PassThrough();
    const { chunks, ends, sink } = recordingSink();
    const pump = new LogPump(source, { tty: true, window: 1, follow: true }, sink);

    source.write('one');
    await settle();
    source.end('two');
    await settle();

    expect(chunks.map((c) => c.text)).toEqual(['one']);
    expect(ends).toEqual([]);

    pump.grant(1);
    // A paused stream reports its end only once it flows again, which the grant lets it do.
    await settle();

    expect(chunks.map((c) => c.text)).toEqual(['one', 'two']);
    expect(ends).toEqual([{ reason: 'container-stopped' }]);
  });

  it('should end a non-follow stream as complete', async () => {
    const source = new PassThrough();
    const { ends, sink } = recordingSink();
    new LogPump(source, { tty: true, window: 4, follow: false }, sink);

    source.end('all');
    await settle();

    expect(ends).toEqual([{ reason: 'complete' }]);
  });

  it('should destroy the engine stream and drop what waits when cancelled, ending once', async () => {
    const source = new PassThrough();
    const { ends, sink } = recordingSink();
    const pump = new LogPump(source, { tty: true, window: 1, follow: true }, sink);
    source.write('a');
    await settle();
    source.write('b');
    await settle();

    pump.cancel('reader-gone');
    pump.cancel('cancelled');
    pump.grant(10);
    await settle();

    expect(source.destroyed).toBe(true);
    expect(pump.pendingChunks).toBe(0);
    expect(ends).toEqual([{ reason: 'reader-gone' }]);
  });

  it('should report a stream the engine tore down without an end as failed', async () => {
    const source = new PassThrough();
    const { ends, sink } = recordingSink();
    new LogPump(source, { tty: false, window: 4, follow: true }, sink);

    source.destroy(new Error('socket hang up'));
    await settle();

    expect(ends).toHaveLength(1);
    expect(ends[0]?.reason).toBe('failed');
    expect(ends[0]?.error?.message).toMatch(/socket hang up/);
  });

  it('should cap the window at the protocol maximum however much is granted', async () => {
    const source = new PassThrough();
    const { chunks, sink } = recordingSink();
    const pump = new LogPump(source, { tty: false, window: 1, follow: true }, sink);
    pump.grant(1_000_000);

    // Alternating streams, so no two chunks can be joined.
    for (let index = 0; index < 1100; index += 1) source.write(frame(index % 2 === 0 ? 1 : 2, `${index}`));
    await settle();

    expect(chunks.length).toBe(1024);
  });
});

describe('LogPump over a sink that cannot send', () => {
  it('should end the stream as failed and stop reading the engine when a chunk is refused, without throwing', async () => {
    // Arrange: a sink that refuses chunks as nats.js does for a message over the server's max_payload
    const source = new PassThrough();
    const { ends, sink } = recordingSink();
    let refused = 0;
    const pump = new LogPump(
      source,
      { tty: true, window: 4, follow: true },
      {
        ...sink,
        chunk: () => {
          refused += 1;
          throw new Error("'payload' max_payload size exceeded");
        },
      },
    );

    // Act: the chunk goes out from the pump's setImmediate, where a throw would be uncaught
    source.write('hello');
    await settle();

    // Assert
    expect(refused).toBe(1);
    expect(ends).toHaveLength(1);
    expect(ends[0]?.reason).toBe('failed');
    expect(ends[0]?.error?.message).toBe("the log stream could not be sent: 'payload' max_payload size exceeded");
    expect(pump.isClosed).toBe(true);
    expect(source.destroyed).toBe(true);
  });

  it('should not throw to whoever ends it when the sink cannot send the end (the connection closed)', async () => {
    // Arrange: the bus closed after the last chunk went out
    const source = new PassThrough();
    const { chunks, sink } = recordingSink();
    let endsRefused = 0;
    const pump = new LogPump(
      source,
      { tty: true, window: 4, follow: true },
      {
        ...sink,
        end: () => {
          endsRefused += 1;
          throw new Error('CONNECTION_CLOSED');
        },
      },
    );
    source.write('a');
    await settle();

    // Act: a teardown ends every stream in turn; a throw here would leave the rest running
    const stopping = () => pump.cancel('engine-gone');

    // Assert
    expect(stopping).not.toThrow();
    expect(chunks.map((c) => c.text)).toEqual(['a']);
    expect(endsRefused).toBe(1);
    expect(pump.isClosed).toBe(true);
    expect(source.destroyed).toBe(true);
  });

  it('should cut chunks to the largest the sink can send when that is less than the protocol allows', async () => {
    // Arrange
    const source = new PassThrough();
    const { chunks, sink } = recordingSink();
    new LogPump(source, { tty: false, window: 16, follow: true, maxChunkBytes: 1000 }, sink);

    // Act: one frame over two such chunks, then small frames that would join past the limit
    source.write(
      Buffer.concat([frame(1, Buffer.alloc(2500, 'a')), ...Array.from({ length: 5 }, () => frame(2, 'x'.repeat(300)))]),
    );
    await settle();

    // Assert
    expect(chunks.map((c) => `${c.stream}:${c.text.length}`)).toEqual([
      'stdout:1000',
      'stdout:1000',
      'stdout:500',
      'stderr:900',
      'stderr:600',
    ]);
  });
});
