/**
 * Supervision telemetry, replayed then live: one ordered consumer on the instance's supervision stream,
 * starting `last` messages back. The same consumer carries on with new messages, so the replay and the
 * live part neither overlap nor leave a gap, and it resumes by itself after a bus restart.
 */
import { DeliverPolicy, jetstream, jetstreamManager, type OrderedConsumerOptions } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { describeIssues } from '../../protocol/api.schema.js';
import { ApiError, describeError } from '../../protocol/api-error.js';
import { supervisionStream } from '../../protocol/subjects.js';
import { supervisionEventSchema, type SupervisionEvent } from '../../protocol/supervision.schema.js';

export interface SupervisionFeedOptions {
  instance: string;
  /** How many stored messages to replay first; 0 shows only new ones. */
  last: number;
  signal: AbortSignal;
  onEvent: (event: SupervisionEvent) => void;
  progress: (line: string) => void;
  onReady?: () => void;
}

/** Where the replay starts: the last `last` of the stored sequence numbers [first, lastSeq]. */
export function replayStart(
  state: { first_seq: number; last_seq: number; messages: number },
  last: number,
): Partial<OrderedConsumerOptions> {
  if (last <= 0) return { deliver_policy: DeliverPolicy.New };
  if (state.messages === 0) return { deliver_policy: DeliverPolicy.All };
  return {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(state.first_seq, state.last_seq - last + 1),
  };
}

export async function followSupervision(nc: NatsConnection, options: SupervisionFeedOptions): Promise<void> {
  const stream = supervisionStream(options.instance);
  let start: Partial<OrderedConsumerOptions>;
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    start = replayStart(info.state, options.last);
  } catch (error) {
    throw new ApiError('Unavailable', `failed to read the supervision stream ${stream}: ${describeError(error)}`);
  }
  const consumer = await jetstream(nc).consumers.get(stream, start);
  const messages = await consumer.consume();
  const stop = (): void => void messages.stop();
  options.signal.addEventListener('abort', stop, { once: true });
  if (options.signal.aborted) stop();
  options.onReady?.();
  let warned = false;
  try {
    for await (const msg of messages) {
      let body: unknown;
      try {
        body = msg.json();
      } catch {
        body = undefined;
      }
      const parsed = supervisionEventSchema.safeParse(body);
      if (parsed.success) options.onEvent(parsed.data);
      else if (!warned) {
        warned = true;
        options.progress(`ignoring a malformed supervision message on ${msg.subject}: ${describeIssues(parsed.error)}`);
      }
    }
  } finally {
    options.signal.removeEventListener('abort', stop);
    // An ordered consumer would otherwise stay on the server for its five idle minutes after rdd left.
    await consumer.delete().catch(() => undefined);
  }
}
