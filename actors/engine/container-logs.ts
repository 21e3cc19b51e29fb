/**
 * The daemon's log server: lives as long as one engine connection, opens the log streams the API asks
 * for in-process (one hop, as container commands reach the mirrors), and runs one {@link LogPump} per
 * stream. Chunks go to the reader's inbox; credits and cancels come back on one wildcard subscription.
 * A reader that stops sending credit is gone (killed, disconnected): its engine stream is closed and
 * forgotten, and so is every stream when the engine connection ends. Its count of open streams is what
 * `svc status` shows. Sending is best-effort: a publish the bus refuses (the connection closed, a chunk
 * over a user's server's max_payload) ends that stream, logged once, and never stops the daemon.
 */
import type { Readable } from 'node:stream';
import { headers, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import type { ParsedRequestOf } from '../../protocol/api.schema.js';
import { ApiError, describeError, NotFoundError } from '../../protocol/errors.js';
import {
  logCreditSchema,
  logKindHeader,
  logReaderGoneMs,
  maxLogChunkBytes,
  type LogEnd,
  type LogEndReason,
  type LogKind,
  type LogsReply,
} from '../../protocol/mirrors/logs.schema.js';
import { logChunkSubject, logCreditWildcard } from '../../protocol/subjects.js';
import { messageRoomBytes, readJson } from '../bus/request-server.js';
import { engineMessage, engineStatusCode, type EngineClient } from './engine-client.js';
import { LogPump } from './log-pump.js';

/** The largest chunk the bus takes in one message: the protocol's, or less under a small max_payload. */
export function chunkBytesFor(nc: Pick<NatsConnection, 'info'>): number {
  return Math.min(maxLogChunkBytes, messageRoomBytes(nc));
}

interface OpenStream {
  pump: LogPump;
  lastHeardAt: number;
}

export interface LogServer {
  /**
   * Opens the stream the API validated: its chunks go to the reader's inbox from now on. Refused with
   * the API's error (Invalid, NotFound, Unavailable) when it cannot be opened.
   */
  open(request: ParsedRequestOf<'container.logs'>): Promise<LogsReply>;
  /** Streams open now; none once stopped, since stopping ends them at once. */
  readonly openStreams: number;
  /** Ends every open stream with `reason` and opens no more. */
  stop(reason: LogEndReason): void;
}

export function startLogServer(options: {
  nc: NatsConnection;
  instance: string;
  engine: EngineClient;
  logger: Logger;
  /** How long a reader may stay silent; tests shorten it. */
  readerGoneMs?: number;
}): LogServer {
  const { nc, instance, engine, logger } = options;
  const readerGoneMs = options.readerGoneMs ?? logReaderGoneMs;
  const streams = new Map<string, OpenStream>();
  const kindHeaders = Object.fromEntries(
    (['stdout', 'stderr', 'end'] as const).map((kind) => {
      const carried = headers();
      carried.set(logKindHeader, kind);
      return [kind, carried];
    }),
  ) as Record<LogKind, MsgHdrs>;

  let stopped = false;
  const refuseWhenStopped = (name: string): void => {
    if (stopped) throw new ApiError('Unavailable', `the engine connection ended while opening the logs of ${name}`);
  };

  const open = async (request: ParsedRequestOf<'container.logs'>): Promise<LogsReply> => {
    refuseWhenStopped(request.name);
    if (streams.has(request.id)) throw new ApiError('Invalid', `log stream ${request.id} is already open`);
    const inspect = await engine.inspectContainer(request.name);
    if (!inspect) throw new NotFoundError(`container ${request.name} not found in the engine`);
    const tty = inspect.Config?.Tty === true;
    let source: Readable;
    try {
      source = await engine.logs(request.name, request);
    } catch (error) {
      if (engineStatusCode(error) === 404) throw new NotFoundError(`container ${request.name} not found in the engine`);
      throw new ApiError('Unavailable', `the engine refused the logs of ${request.name}: ${engineMessage(error)}`);
    }
    // The connection may have ended during the engine calls: a stream opened now would outlive it.
    if (stopped) source.destroy();
    refuseWhenStopped(request.name);
    const subject = logChunkSubject(request.id);
    let sendFailed = false;
    const send = (data: Uint8Array | string, kind: LogKind): void => {
      try {
        nc.publish(subject, data, { headers: kindHeaders[kind] });
      } catch (error) {
        // Once: after the first refusal the pump ends the stream, and its end is refused the same way.
        if (!sendFailed) {
          logger.warn(
            `log stream ${request.id} of ${request.name}: ending it, the bus refused it: ${describeError(error)}`,
          );
        }
        sendFailed = true;
        throw error;
      }
    };
    const pump = new LogPump(
      source,
      { tty, window: request.window, follow: request.follow, maxChunkBytes: chunkBytesFor(nc) },
      {
        // A throw ends the stream as failed: the pump stops reading the engine.
        chunk: (stream, data) => send(data, stream),
        end: (reason, error) => {
          streams.delete(request.id);
          const end: LogEnd = { reason, ...(error ? { error: error.toBody() } : {}) };
          try {
            send(JSON.stringify(end), 'end');
          } catch {
            // Logged by send. The end is small: refused, the connection is gone, which the reader sees too.
          }
          logger.debug(`log stream ${request.id} of ${request.name} ended: ${reason}`);
        },
      },
    );
    streams.set(request.id, { pump, lastHeardAt: Date.now() });
    logger.debug(`log stream ${request.id} of ${request.name} opened (tty ${tty}, follow ${request.follow})`);
    return { id: request.id, tty };
  };

  const credits: Subscription = nc.subscribe(logCreditWildcard(instance), {
    callback: (error, msg) => {
      if (error) return;
      const id = msg.subject.split('.')[3] ?? '';
      const stream = streams.get(id);
      const read = readJson(msg.data);
      const parsed = logCreditSchema.safeParse(read.json ? read.value : undefined);
      if (!stream || !parsed.success) return;
      stream.lastHeardAt = Date.now();
      if ('cancel' in parsed.data) stream.pump.cancel('cancelled');
      else stream.pump.grant(parsed.data.credit);
    },
  });

  // A killed reader sends no cancel: its silence is what ends its stream.
  const reaper = setInterval(
    () => {
      const now = Date.now();
      for (const [id, stream] of streams) {
        if (now - stream.lastHeardAt <= readerGoneMs) continue;
        logger.debug(`log stream ${id}: no credit for ${now - stream.lastHeardAt} ms, the reader is gone`);
        stream.pump.cancel('reader-gone');
      }
    },
    Math.max(100, Math.floor(readerGoneMs / 4)),
  );
  reaper.unref();

  return {
    open,
    get openStreams() {
      return streams.size;
    },
    stop: (reason) => {
      stopped = true;
      clearInterval(reaper);
      credits.unsubscribe();
      for (const stream of [...streams.values()]) stream.pump.cancel(reason);
    },
  };
}
