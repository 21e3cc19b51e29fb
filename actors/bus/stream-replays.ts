/**
 * Replays of stored messages onto the daemon's subjects. A client may not publish on them, but it may
 * create a push consumer on a stream it reads whose deliver subject is one of them: JetStream then
 * delivers stored messages (the daemon's own KV values and telemetry, out of context) there, and keeps
 * delivering every new one for as long as the daemon listens. Such a delivery carries a `$JS.ACK.`
 * reply that names the stream and the consumer; nothing the daemon listens to comes that way, so it
 * is counted and dropped, and the consumer is deleted so the replay stops. Only when the stream the
 * reply names holds the message's subject: the reply subject is the sender's to write, and the
 * daemon's rights would otherwise delete any consumer of any stream on the server for whoever names it.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import { describeError } from '../../protocol/errors.js';
import { supervisionStream } from '../../protocol/subjects.js';
import { bucketStream } from '../../client/store-reads.js';
import { rejections } from './rejections.js';

/** The stream and consumer of a JetStream ack subject, in its old (9 tokens) or new (12 tokens) form. */
export function replayingConsumer(reply: string | undefined): { stream: string; consumer: string } | null {
  if (!reply?.startsWith('$JS.ACK.')) return null;
  const tokens = reply.split('.');
  const at = tokens.length >= 11 ? 4 : 2;
  const [stream, consumer] = [tokens[at], tokens[at + 1]];
  return stream && consumer ? { stream, consumer } : null;
}

const deleting = new Set<string>();

/**
 * Whether `stream` is where a message on `subject` is stored: a KV value (`$KV.<bucket>.<key>`) in
 * `KV_<bucket>`, a supervision event (`rdd.<instance>.supervision.…`) in `rdd_<instance>_supervision`.
 * A replay keeps the subject it was stored under; a request a client published itself, with a
 * `$JS.ACK.` reply it wrote, carries the subject it was sent on, which no stream of those holds.
 */
export function storesSubject(stream: string, subject: string): boolean {
  const [root, second, third] = subject.split('.');
  if (root === '$KV' && second) return stream === bucketStream(second).stream;
  return root === 'rdd' && !!second && third === 'supervision' && stream === supervisionStream(second);
}

/** True when `msg` was a replay: counted, dropped, and its consumer on its way out. */
export function rejectedAsReplay(nc: NatsConnection, msg: Msg, source: string, logger?: Logger): boolean {
  const replaying = replayingConsumer(msg.reply);
  if (!replaying) return false;
  const { stream, consumer } = replaying;
  rejections.record(source, `a message on ${msg.subject}`, `replayed by consumer ${consumer} of ${stream}`, logger);
  const key = `${stream}/${consumer}`;
  if (storesSubject(stream, msg.subject) && !deleting.has(key)) {
    deleting.add(key);
    jetstreamManager(nc)
      .then((jsm) => jsm.consumers.delete(stream, consumer))
      .then(
        () =>
          logger?.warn(`deleted consumer ${consumer} of ${stream}: it replayed stored messages onto ${msg.subject}`),
        (error: unknown) => logger?.warn(`failed to delete consumer ${consumer} of ${stream}: ${describeError(error)}`),
      )
      .finally(() => deleting.delete(key));
  }
  return true;
}
