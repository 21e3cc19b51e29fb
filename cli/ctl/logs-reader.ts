/**
 * The reading side of a log stream: subscribe to the chunk subject first (the daemon starts sending as
 * soon as the engine answers), open the stream, then write each chunk to stdout or stderr and grant
 * credit back only once the write has drained, so the daemon never runs ahead of a slow terminal or
 * pipe. A grant (0 when nothing was read) every heartbeat tells the daemon the reader is alive.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ApiClient } from '../../client/api-client.js';
import { ApiError } from '../../protocol/api-error.js';
import {
  logEndSchema,
  logHeartbeatMs,
  logKindHeader,
  type LogEnd,
  type LogsRequest,
} from '../../protocol/mirrors/logs.schema.js';
import { logChunkSubject, logCreditSubject } from '../../protocol/subjects.js';

/** Chunks in flight: enough to keep a fast pipe busy, small enough to bound what waits in our inbox. */
const window = 64;
/** Credit goes back in batches, not one message per chunk. */
const grantBatch = 16;

export interface LogReaderOptions {
  nc: NatsConnection;
  api: ApiClient;
  instance: string;
  name: string;
  request: Omit<LogsRequest, 'id' | 'window'>;
  stdout: Writable;
  stderr: Writable;
}

export interface LogReading {
  /** Resolves to how the stream ended; rejects when the stream could not be opened or the bus went away. */
  done: Promise<LogEnd>;
  /** Best effort: tells the daemon to stop, and waits (briefly) until the message is out. */
  cancel(): Promise<void>;
}

export async function openLogReading(options: LogReaderOptions): Promise<LogReading> {
  const { nc, api, instance, name } = options;
  const id = randomBytes(12).toString('hex');
  const subscription = nc.subscribe(logChunkSubject(id));
  const creditSubject = logCreditSubject(instance, id);
  let owed = 0;
  const grant = (): void => {
    nc.publish(creditSubject, JSON.stringify({ credit: owed }));
    owed = 0;
  };
  try {
    await api.request('container.logs', { name, id, window, ...options.request }, 30_000);
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  }
  const heartbeat = setInterval(grant, logHeartbeatMs);
  let lostBus: ApiError | null = null;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type !== 'disconnect') continue;
      // A restarted daemon knows nothing of this stream: a reconnect would only wait forever.
      lostBus = new ApiError('Unavailable', `lost the connection to the rdd daemon while reading the logs of ${name}`);
      subscription.unsubscribe();
      return;
    }
  })();

  const read = async (): Promise<LogEnd> => {
    for await (const msg of subscription) {
      const kind = msg.headers?.get(logKindHeader);
      if (kind === 'end') {
        const end = logEndSchema.safeParse(JSON.parse(msg.string()));
        if (!end.success) throw new ApiError('Internal', `malformed end of the log stream of ${name}`);
        return end.data;
      }
      const out = kind === 'stderr' ? options.stderr : options.stdout;
      if (!out.write(msg.data)) await once(out, 'drain');
      owed += 1;
      if (owed >= grantBatch) grant();
    }
    throw lostBus ?? new ApiError('Unavailable', `the log stream of ${name} ended without an end message`);
  };
  const done = read().finally(() => {
    clearInterval(heartbeat);
    subscription.unsubscribe();
  });
  return {
    done,
    cancel: async () => {
      clearInterval(heartbeat);
      nc.publish(creditSubject, JSON.stringify({ cancel: true }));
      await Promise.race([nc.flush(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    },
  };
}
