/**
 * The flow control of one log stream, apart from the bus so a unit test can drive it with a fake
 * stream: the engine's bytes become chunks (demultiplexed into stdout and stderr unless the container
 * has a TTY), one chunk is sent per credit, and the engine's stream is paused while the credit is
 * spent. What waits for credit is at most the chunks of one read from the engine, so a reader that
 * stops reading holds the engine's stream still instead of filling the daemon's memory. A chunk the sink
 * cannot send (the bus closed, a message over its max_payload) ends the stream as failed: the pump runs
 * from stream events and timers, where a throw would stop the daemon.
 */
import type { Readable } from 'node:stream';
import { ApiError, describeError } from '../../protocol/errors.js';
import {
  maxLogChunkBytes,
  maxLogWindow,
  type LogEndReason,
  type LogStreamName,
} from '../../protocol/mirrors/logs.schema.js';

export interface LogSink {
  /** Sends a chunk; a throw means it could not, and the stream ends as failed. */
  chunk(stream: LogStreamName, data: Uint8Array): void;
  /** Called once, after the last chunk; a throw is ignored (the sink reports its own failures). */
  end(reason: LogEndReason, error?: ApiError): void;
}

interface Chunk {
  stream: LogStreamName;
  data: Uint8Array;
}

/** Docker's multiplexed stream: frames of an 8-byte header (stream type, 3 zero bytes, big-endian size) and the payload. */
export class FrameDemuxer {
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly maxChunkBytes = maxLogChunkBytes) {}

  push(bytes: Buffer): Chunk[] {
    const buffer = this.carry.length === 0 ? bytes : Buffer.concat([this.carry, bytes]);
    const frames: Chunk[] = [];
    let offset = 0;
    while (buffer.length - offset >= 8) {
      const size = buffer.readUInt32BE(offset + 4);
      if (buffer.length - offset - 8 < size) break;
      // 2 is stderr; 1 is stdout, and 0 (stdin, never logged) is shown with it.
      const stream = buffer[offset] === 2 ? 'stderr' : 'stdout';
      frames.push({ stream, data: buffer.subarray(offset + 8, offset + 8 + size) });
      offset += 8 + size;
    }
    // A copy: the rest must not keep the whole read alive while it waits for its end.
    this.carry = Buffer.from(buffer.subarray(offset));
    return coalesce(frames, this.maxChunkBytes);
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get pendingBytes(): number {
    return this.carry.length;
  }
}

/**
 * The engine sends a frame per line; one chunk per run of lines of the same stream (up to the largest
 * chunk) makes a big log a few hundred bus messages instead of a message per line.
 */
function coalesce(frames: readonly Chunk[], maxChunkBytes: number): Chunk[] {
  const chunks: Chunk[] = [];
  let run: Chunk[] = [];
  let runBytes = 0;
  const close = (): void => {
    if (run.length === 0) return;
    const data = run.length === 1 ? run[0]!.data : Buffer.concat(run.map((frame) => frame.data));
    chunks.push(...split(run[0]!.stream, data, maxChunkBytes));
    run = [];
    runBytes = 0;
  };
  for (const frame of frames) {
    if (run.length > 0 && (run[0]!.stream !== frame.stream || runBytes + frame.data.length > maxChunkBytes)) close();
    run.push(frame);
    runBytes += frame.data.length;
  }
  close();
  return chunks;
}

function split(stream: LogStreamName, data: Uint8Array, maxChunkBytes: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < data.length; start += maxChunkBytes) {
    chunks.push({ stream, data: data.subarray(start, start + maxChunkBytes) });
  }
  return chunks;
}

export class LogPump {
  private credit: number;
  private readonly pending: Chunk[] = [];
  private readonly demuxer: FrameDemuxer | null;
  /** The engine's stream ended: the end is sent once the pending chunks are. */
  private sourceEnded = false;
  private closed = false;
  private flushScheduled = false;
  /** How a clean end of the engine's stream is reported: a follow ends when the container stops. */
  private readonly endReason: LogEndReason;
  /** The largest chunk the sink can send: the protocol's, or less on a bus with a small max_payload. */
  private readonly maxChunkBytes: number;
  /** Counters for tests and diagnostics. */
  readonly stats = { sent: 0, pauses: 0 };

  constructor(
    private readonly source: Readable,
    options: { tty: boolean; window: number; follow: boolean; maxChunkBytes?: number },
    private readonly sink: LogSink,
  ) {
    this.credit = Math.min(options.window, maxLogWindow);
    this.maxChunkBytes = Math.max(1, Math.min(options.maxChunkBytes ?? maxLogChunkBytes, maxLogChunkBytes));
    this.demuxer = options.tty ? null : new FrameDemuxer(this.maxChunkBytes);
    this.endReason = options.follow ? 'container-stopped' : 'complete';
    source.on('data', (bytes: Buffer) => {
      if (this.closed) return;
      this.pending.push(...(this.demuxer ? this.demuxer.push(bytes) : split('stdout', bytes, this.maxChunkBytes)));
      // The engine flushes every line: the reads of one turn of the event loop go out together.
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    });
    source.on('end', () => {
      this.sourceEnded = true;
      this.flush();
    });
    source.on('error', (error: Error) =>
      this.close('failed', new ApiError('Unavailable', `the engine's log stream failed: ${error.message}`)),
    );
    // A stream torn down without an end (the engine died mid-stream) is a failure, not a clean end.
    source.on('close', () => {
      if (!this.sourceEnded) this.close('failed', new ApiError('Unavailable', 'the engine closed the log stream'));
    });
  }

  /** More chunks the reader can take; the window never grows past {@link maxLogWindow}. */
  grant(credit: number): void {
    if (this.closed) return;
    this.credit = Math.min(this.credit + credit, maxLogWindow);
    this.flush();
  }

  /** Ends the stream now (the reader cancelled or went away, the engine is gone). */
  cancel(reason: LogEndReason): void {
    this.close(reason);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Chunks waiting for credit: bounded by one read from the engine. */
  get pendingChunks(): number {
    return this.pending.length;
  }

  private flush(): void {
    if (this.closed) return;
    while (this.credit > 0 && this.pending.length > 0) {
      const chunk = this.takeChunk();
      this.credit -= 1;
      this.stats.sent += 1;
      try {
        this.sink.chunk(chunk.stream, chunk.data);
      } catch (error) {
        this.close('failed', new ApiError('Unavailable', `the log stream could not be sent: ${describeError(error)}`));
        return;
      }
    }
    if (this.pending.length > 0) {
      if (!this.source.isPaused()) this.stats.pauses += 1;
      this.source.pause();
      return;
    }
    if (this.sourceEnded) {
      this.close(this.endReason);
      return;
    }
    this.source.resume();
  }

  /** The first pending chunk, joined with the ones of the same stream after it up to the largest chunk. */
  private takeChunk(): Chunk {
    let count = 1;
    let bytes = this.pending[0]!.data.length;
    const stream = this.pending[0]!.stream;
    while (count < this.pending.length) {
      const next = this.pending[count]!;
      if (next.stream !== stream || bytes + next.data.length > this.maxChunkBytes) break;
      bytes += next.data.length;
      count += 1;
    }
    const taken = this.pending.splice(0, count);
    return count === 1 ? taken[0]! : { stream, data: Buffer.concat(taken.map((chunk) => chunk.data)) };
  }

  private close(reason: LogEndReason, error?: ApiError): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.source.destroy();
    try {
      this.sink.end(reason, error);
    } catch {
      // The sink logs its own failure to send the end; the stream is over either way.
    }
  }
}
