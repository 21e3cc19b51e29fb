/**
 * The daemon's log server: lives as long as one engine connection, answers log requests the API
 * forwards on `rdd.<instance>.engine.logs`, and runs one {@link LogPump} per stream. Chunks go to the
 * reader's inbox; credits and cancels come back on one wildcard subscription. A reader that stops
 * sending credit is gone (killed, disconnected): its engine stream is closed and forgotten, and so is
 * every stream when the engine connection ends. {@link openLogStreamCount} is what `svc status` shows.
 */
import type { Readable } from 'node:stream';
import { headers, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import { describeIssues, endpoints, type ParsedRequestOf } from '../../protocol/api.schema.js';
import { ApiError, describeError, NotFoundError } from '../../protocol/errors.js';
import {
  logCreditSchema,
  logKindHeader,
  logReaderGoneMs,
  type LogEnd,
  type LogEndReason,
  type LogKind,
  type LogsReply,
} from '../../protocol/mirrors/logs.schema.js';
import { actorSubject, logChunkSubject, logCreditWildcard } from '../../protocol/subjects.js';
import { readJson, RefusedRequest, serveRequests } from '../bus/request-server.js';
import { engineMessage, engineStatusCode, type EngineClient } from './engine-client.js';
import { LogPump } from './log-pump.js';

/** The API forwards `container.logs` here as it received it: validated again, as everything on the bus. */
const logServerRequestSchema = endpoints['container.logs'].request;

let openStreams = 0;

/** Log streams open in this daemon, across engine connections. */
export function openLogStreamCount(): number {
  return openStreams;
}

interface OpenStream {
  pump: LogPump;
  lastHeardAt: number;
}

export interface LogServer {
  /** Ends every open stream with `reason` and stops answering. */
  stop(reason: LogEndReason): void;
}

export function serveContainerLogs(options: {
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

  const open = async (request: ParsedRequestOf<'container.logs'>): Promise<LogsReply> => {
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
    const subject = logChunkSubject(request.id);
    const pump = new LogPump(
      source,
      { tty, window: request.window, follow: request.follow },
      {
        chunk: (stream, data) => nc.publish(subject, data, { headers: kindHeaders[stream] }),
        end: (reason, error) => {
          streams.delete(request.id);
          openStreams -= 1;
          const end: LogEnd = { reason, ...(error ? { error: error.toBody() } : {}) };
          nc.publish(subject, JSON.stringify(end), { headers: kindHeaders.end });
          logger.debug(`log stream ${request.id} of ${request.name} ended: ${reason}`);
        },
      },
    );
    streams.set(request.id, { pump, lastHeardAt: Date.now() });
    openStreams += 1;
    logger.debug(`log stream ${request.id} of ${request.name} opened (tty ${tty}, follow ${request.follow})`);
    return { id: request.id, tty };
  };

  const requests: Subscription = serveRequests(
    nc,
    actorSubject(instance, 'engine', 'logs'),
    {
      name: 'log',
      parse: (data) => {
        const read = readJson(data);
        const parsed = logServerRequestSchema.safeParse(read.json ? read.value : undefined);
        if (!parsed.success) throw new RefusedRequest(`container.logs: ${describeIssues(parsed.error)}`);
        return parsed.data;
      },
      handle: open,
      internalMessage: (failure) => `logs failed: ${describeError(failure)}`,
    },
    logger,
  );

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
    stop: (reason) => {
      clearInterval(reaper);
      requests.unsubscribe();
      credits.unsubscribe();
      for (const stream of [...streams.values()]) stream.pump.cancel(reason);
    },
  };
}
