/**
 * The one request/reply core every daemon server uses (the API, the mirror owners, fault injection):
 * a request is decoded and validated before any handler sees it, answered with the protocol's reply
 * envelope (`{ ok, result }` or `{ ok, error }`), and a handler's failure becomes a reply, never an
 * exception past this file. What differs between servers is only how a request is read and handled
 * (and, for the debug subjects, how the envelope is written on the wire).
 *
 * A reply larger than the bus allows in one message (its max_payload: 1 MiB by default, and a user's own
 * server may set less) goes out in parts, each marked with {@link replyPartHeader}; client/api-client.ts
 * puts them back together. A listing of a thousand containers is about 2 MB.
 */
import { headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import type { ReplyEnvelope } from '../../protocol/api.schema.js';
import { ApiError, describeError } from '../../protocol/errors.js';
import { replyPartHeader } from '../../protocol/resource-names.js';
import { traceOf, withTrace } from '../trace.js';
import { rejections } from './rejections.js';
import { refusedReplySubject } from './reply-subjects.js';
import { rejectedAsReplay } from './stream-replays.js';

/** What the core reads of a request: any NATS message or micro-service message has it. */
export interface IncomingRequest {
  readonly subject: string;
  /** Where the reply goes: only ever an inbox (reply-subjects.ts). */
  readonly reply?: string;
  readonly data: Uint8Array;
  readonly headers?: { get(key: string): string };
  /** `headers` is nats.js's MsgHdrs; typed loosely because @nats-io/services carries its own copy of that type. */
  respond(data: Uint8Array, options?: { headers?: object }): boolean;
}

/** What the core needs of the connection it answers on: the largest message the server accepts. */
export type ReplyBus = Pick<NatsConnection, 'info'>;

/** NATS's default max_payload, for a connection that has not said its own yet. */
const defaultMaxPayloadBytes = 1024 * 1024;

/** Room in each part for its header and the protocol line around it. */
const partHeadroomBytes = 512;

/**
 * A request refused before any handler saw it. `issue` is what was wrong, for the rejection count;
 * the reply carries the whole `message`.
 */
export class RefusedRequest extends ApiError {
  override readonly name = 'RefusedRequest';
  constructor(
    message: string,
    readonly issue: string = message,
    details?: Record<string, unknown>,
  ) {
    super('Invalid', message, details);
  }
}

export interface RequestEndpoint<R> {
  /** Names the endpoint in logs. */
  readonly name: string;
  /** The validated request; throws an ApiError (a {@link RefusedRequest} when the request is malformed). */
  parse(data: Uint8Array, subject: string): R;
  handle(request: R, subject: string): Promise<unknown>;
  /** The message of the Internal reply to a failure that is not an ApiError. */
  internalMessage?(failure: unknown): string;
  /**
   * Counts and logs every refused request under this source (rejections.ts): for subjects only the
   * daemon itself is meant to send on, where a malformed request means something is wrong. Replays
   * of stored stream messages (stream-replays.ts) are counted and dropped under it too.
   */
  readonly rejectionSource?: string;
  /**
   * What goes on the wire for `envelope`; the envelope itself by default. Only the debug subjects use
   * it: they predate the envelope, and the e2e and bench helpers read their older shape.
   */
  encodeReply?(envelope: ReplyEnvelope): unknown;
  /**
   * Runs once a request was answered `ok`, right after the reply is sent: for work that may take down
   * the connection the reply goes out on (an injected crash of the bus). Its failure is logged.
   */
  afterReply?(request: R, subject: string): void;
}

/** The body of a request as JSON (an empty one is `{}`), or why it is not JSON. */
export function readJson(data: Uint8Array): { json: true; value: unknown } | { json: false; reason: string } {
  if (data.length === 0) return { json: true, value: {} };
  try {
    return { json: true, value: JSON.parse(Buffer.from(data).toString('utf8')) };
  } catch (error) {
    return { json: false, reason: describeError(error) };
  }
}

/** Replies with `error` in the envelope. */
export function respondError(msg: IncomingRequest, error: ApiError): void {
  msg.respond(Buffer.from(JSON.stringify({ ok: false, error: error.toBody() } satisfies ReplyEnvelope)));
}

/**
 * How many bytes of data one message on `bus` may carry beside a few headers: the server's max_payload
 * (NATS's default until the connection has said its own) less room for the headers and the protocol line.
 */
export function messageRoomBytes(bus: ReplyBus): number {
  const maxPayload = bus.info?.max_payload ?? defaultMaxPayloadBytes;
  return maxPayload - Math.min(partHeadroomBytes, Math.floor(maxPayload / 2));
}

/**
 * Sends `body` as one message, or in parts of at most the bus's max_payload, each with its
 * {@link replyPartHeader} (`1/3`, `2/3`, `3/3`); one publish each, in order, so the parts arrive in order.
 * Returns false when the connection refused a publish (it is closing): the client's request times out.
 */
export function sendReply(msg: IncomingRequest, body: string, bus: ReplyBus): boolean {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length <= (bus.info?.max_payload ?? defaultMaxPayloadBytes)) return msg.respond(bytes);
  const partBytes = messageRoomBytes(bus);
  const count = Math.ceil(bytes.length / partBytes);
  for (let index = 0; index < count; index++) {
    const part = headers();
    part.set(replyPartHeader, `${index + 1}/${count}`);
    if (!msg.respond(bytes.subarray(index * partBytes, (index + 1) * partBytes), { headers: part })) return false;
  }
  return true;
}

/**
 * Answers one request, in the trace it carries: parse, handle, reply. Never rejects. A request whose
 * reply subject is not an inbox is refused before anything else, unanswered (reply-subjects.ts).
 */
export function answerRequest<R>(
  msg: IncomingRequest,
  endpoint: RequestEndpoint<R>,
  logger: Logger,
  bus: ReplyBus,
): Promise<void> {
  if (refusedReplySubject(msg, logger)) return Promise.resolve();
  return withTrace(traceOf(msg), () => answer(msg, endpoint, logger, bus));
}

async function answer<R>(
  msg: IncomingRequest,
  endpoint: RequestEndpoint<R>,
  logger: Logger,
  bus: ReplyBus,
): Promise<void> {
  let envelope: ReplyEnvelope;
  let handled: { request: R } | undefined;
  try {
    let request: R;
    try {
      request = endpoint.parse(msg.data, msg.subject);
    } catch (error) {
      if (error instanceof RefusedRequest && endpoint.rejectionSource) {
        rejections.record(endpoint.rejectionSource, `a request on ${msg.subject}`, error.issue, logger);
      }
      throw error;
    }
    envelope = { ok: true, result: await endpoint.handle(request, msg.subject) };
    handled = { request };
  } catch (failure) {
    const error = toApiError(failure, endpoint);
    if (error.code === 'Internal') logger.error(error.message);
    else logger.debug(`${endpoint.name} answered ${error.code}: ${error.message}`);
    envelope = { ok: false, error: error.toBody() };
  }
  try {
    sendReply(msg, JSON.stringify(endpoint.encodeReply ? endpoint.encodeReply(envelope) : envelope), bus);
  } catch (failure) {
    // A reply the connection cannot take must never take the daemon down with it: the client times out.
    logger.warn(`${endpoint.name} could not send its reply: ${describeError(failure)}`);
  }
  if (!handled || !endpoint.afterReply) return;
  try {
    endpoint.afterReply(handled.request, msg.subject);
  } catch (failure) {
    logger.warn(`${endpoint.name} failed after its reply: ${describeError(failure)}`);
  }
}

/** Answers, in its own trace, every request on `subject` (a wildcard too) until unsubscribed. */
export function serveRequests<R>(
  nc: NatsConnection,
  subject: string,
  endpoint: RequestEndpoint<R>,
  logger: Logger,
): Subscription {
  return nc.subscribe(subject, {
    callback: (error, msg: Msg) => {
      if (error) {
        logger.warn(`${endpoint.name} requests: ${error.message}`);
        return;
      }
      if (endpoint.rejectionSource && rejectedAsReplay(nc, msg, endpoint.rejectionSource, logger)) return;
      void answerRequest(msg, endpoint, logger, nc);
    },
  });
}

function toApiError(failure: unknown, endpoint: RequestEndpoint<unknown>): ApiError {
  if (failure instanceof ApiError) return failure;
  const message = endpoint.internalMessage?.(failure) ?? `failed to handle ${endpoint.name}: ${describeError(failure)}`;
  return new ApiError('Internal', message);
}
