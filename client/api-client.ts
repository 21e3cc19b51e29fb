/**
 * A client of one instance's daemon: connects with the credentials file and makes API requests. Used by
 * the CLI, e2e tests and benches; never by the daemon, which answers every API request in-process
 * (dependency-cruiser's `daemon-not-api-client` rule holds it to that).
 *
 * Replies are typed, not validated: the daemon validates every request it accepts and every value it
 * stores, and this is a client of that API as kubectl is of its API server (client/README.md). Only the
 * envelope and the credentials file are checked, structurally, so the CLI's read commands load no zod.
 */
import fs from 'node:fs/promises';
import { connect, errors, headers, type NatsConnection } from '@nats-io/transport-node';
import { ApiError, describeError } from '../protocol/api-error.js';
import type { EndpointName, ReplyOf, RequestOf } from '../protocol/api.schema.js';
import { checkBusCredentials, connectionAuth, type BusCredentials } from '../protocol/bus-credentials.js';
import { replyPartHeader, traceHeader } from '../protocol/resource-names.js';
import { apiSubject } from '../protocol/subjects.js';
import { resultOf } from './reply-envelope.js';

export async function readCredentials(file: string): Promise<BusCredentials> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new ApiError('Unavailable', `failed to read the bus credentials ${file}: ${describeError(error)}`);
  }
  const creds = checkBusCredentials(JSON.parse(text));
  if ('malformed' in creds) throw new ApiError('Invalid', `malformed bus credentials in ${file}: ${creds.malformed}`);
  return creds;
}

export interface ConnectOptions {
  /**
   * Keep reconnecting without a limit: for watchers, and for commands that bound their whole run with
   * a deadline of their own and close the connection when it passes. Others give up after 10 tries.
   */
  reconnect?: boolean;
  name?: string;
  /** How long the first connection may take; 3 s by default. */
  timeoutMs?: number;
}

/**
 * True when a failure says nothing about what the daemon did: nobody answered (no responders, a timeout,
 * a lost connection) or the daemon said it could not finish right now. Such a request may be sent again
 * when it is safe to repeat (reads, and `app.set` with its request identity).
 */
export function answerIsUnknown(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'Unavailable' || error.code === 'Timeout');
}

export async function connectBus(creds: BusCredentials, options: ConnectOptions = {}): Promise<NatsConnection> {
  try {
    return await connect({
      servers: creds.url,
      ...connectionAuth(creds),
      name: options.name ?? 'rdd-cli',
      noAsyncTraces: true,
      maxReconnectAttempts: options.reconnect ? -1 : 10,
      reconnectTimeWait: 250,
      pingInterval: 2_000,
      timeout: options.timeoutMs ?? 3_000,
    });
  } catch (error) {
    throw new ApiError('Unavailable', `failed to connect to the rdd bus at ${creds.url}: ${describeError(error)}`);
  }
}

export class ApiClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly instance: string,
  ) {}

  /** Sends one request; resolves to the daemon's result (typed, not validated) or throws its {@link ApiError}. */
  async request<E extends EndpointName>(
    endpoint: E,
    body: RequestOf<E>,
    timeoutMs = 10_000,
    options: { trace?: string } = {},
  ): Promise<ReplyOf<E>> {
    const [kind = '', verb = ''] = endpoint.split('.');
    const result = await requestEnveloped(this.nc, apiSubject(this.instance, kind, verb), body, {
      ...options,
      timeoutMs,
      what: endpoint,
      silent: `the rdd daemon of instance ${this.instance} is not answering ${endpoint}`,
    });
    return result as ReplyOf<E>;
  }
}

/**
 * One request to a subject that answers with the reply envelope (the API, a mirror's owner): resolves
 * to the result (its envelope checked, the result itself not), or throws the responder's {@link ApiError}; nobody listening is
 * Unavailable with the `silent` message, no answer in time is Timeout. A reply too large for one bus
 * message comes in parts (actors/bus/request-server.ts), put back together here.
 */
export async function requestEnveloped(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  { timeoutMs, what, silent, trace }: { timeoutMs: number; what: string; silent: string; trace?: string },
): Promise<unknown> {
  const carried = trace ? headers() : undefined;
  carried?.set(traceHeader, trace ?? '');
  const reply = await requestInParts(nc, subject, JSON.stringify(body), { timeoutMs, headers: carried });
  if ('text' in reply) return resultOf(safeJson(reply.text), what);
  if (reply.error instanceof Error)
    throw new ApiError('Unavailable', `failed to send ${what}: ${describeError(reply.error)}`);
  switch (reply.error) {
    case 'no responders':
      throw new ApiError('Unavailable', silent);
    case 'timeout':
      throw new ApiError('Timeout', `no answer to ${what} within ${timeoutMs} ms`);
    case 'malformed parts':
      throw new ApiError('Internal', `malformed reply to ${what}: its parts do not add up`);
  }
}

/** The text of a whole reply, or why there is none. */
type PartsOutcome = { text: string } | { error: 'no responders' | 'timeout' | 'malformed parts' | Error };

/**
 * Sends `data` and collects the answer: one message, or every part of a split one, in order, for at
 * most `timeoutMs`. nats.js's requestMany keeps its inbox and its no-responders check; leaving the
 * loop early ends the request.
 */
async function requestInParts(
  nc: NatsConnection,
  subject: string,
  data: string,
  { timeoutMs, headers: carried }: { timeoutMs: number; headers?: ReturnType<typeof headers> },
): Promise<PartsOutcome> {
  const parts: Uint8Array[] = [];
  let expected = 0;
  try {
    const replies = await nc.requestMany(subject, data, {
      maxWait: timeoutMs,
      strategy: 'timer',
      ...(carried ? { headers: carried } : {}),
    });
    for await (const msg of replies) {
      const part = msg.headers?.get(replyPartHeader);
      if (!part) return { text: msg.string() };
      const [index, count] = part.split('/').map(Number);
      if (index !== parts.length + 1 || !Number.isInteger(count) || (expected && count !== expected)) {
        return { error: 'malformed parts' };
      }
      expected = count!;
      parts.push(msg.data);
      if (parts.length === expected) return { text: Buffer.concat(parts).toString('utf8') };
    }
  } catch (error) {
    if (error instanceof errors.NoRespondersError) return { error: 'no responders' };
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
  return { error: 'timeout' };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
