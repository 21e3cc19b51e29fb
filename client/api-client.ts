/**
 * A client of one instance's daemon: connects with the credentials file and makes validated API
 * requests. Used by the CLI, e2e tests and benches; never by the daemon, which answers every API
 * request in-process (dependency-cruiser's `daemon-not-api-client` rule holds it to that).
 */
import fs from 'node:fs/promises';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { traceHeader } from '../protocol/inspection.schema.js';
import { ApiError, describeError } from '../protocol/errors.js';
import {
  describeIssues,
  endpointParts,
  endpoints,
  replyEnvelopeSchema,
  type EndpointName,
  type ReplyOf,
  type RequestOf,
} from '../protocol/api.schema.js';
import { busCredentialsSchema, connectionAuth, type BusCredentials } from '../protocol/credentials.js';
import { apiSubject } from '../protocol/subjects.js';

export async function readCredentials(file: string): Promise<BusCredentials> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new ApiError('Unavailable', `failed to read the bus credentials ${file}: ${describeError(error)}`);
  }
  const parsed = busCredentialsSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new ApiError('Invalid', `malformed bus credentials in ${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
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

  /** Sends one request; resolves to the validated result or throws the daemon's {@link ApiError}. */
  async request<E extends EndpointName>(
    endpoint: E,
    body: RequestOf<E>,
    timeoutMs = 10_000,
    options: { trace?: string } = {},
  ): Promise<ReplyOf<E>> {
    const [kind, verb] = endpointParts(endpoint);
    const raw = await requestEnveloped(this.nc, apiSubject(this.instance, kind, verb), body, {
      ...options,
      timeoutMs,
      what: endpoint,
      silent: `the rdd daemon of instance ${this.instance} is not answering ${endpoint}`,
    });
    const result = endpoints[endpoint].reply.safeParse(raw);
    if (!result.success)
      throw new ApiError('Internal', `malformed result of ${endpoint}: ${describeIssues(result.error)}`);
    return result.data as ReplyOf<E>;
  }
}

/**
 * One request to a subject that answers with the reply envelope (the API, a mirror's owner): resolves
 * to the unvalidated result, or throws the responder's {@link ApiError}; nobody listening is
 * Unavailable with the `silent` message, no answer in time is Timeout.
 */
export async function requestEnveloped(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  { timeoutMs, what, silent, trace }: { timeoutMs: number; what: string; silent: string; trace?: string },
): Promise<unknown> {
  let reply;
  try {
    const carried = trace ? headers() : undefined;
    carried?.set(traceHeader, trace ?? '');
    reply = await nc.request(subject, JSON.stringify(body), {
      timeout: timeoutMs,
      ...(carried ? { headers: carried } : {}),
    });
  } catch (error) {
    const text = describeError(error);
    if (/no responders/i.test(text)) throw new ApiError('Unavailable', silent);
    if (/timeout/i.test(text)) throw new ApiError('Timeout', `no answer to ${what} within ${timeoutMs} ms`);
    throw new ApiError('Unavailable', `failed to send ${what}: ${text}`);
  }
  const envelope = replyEnvelopeSchema.safeParse(safeJson(reply.string()));
  if (!envelope.success)
    throw new ApiError('Internal', `malformed reply to ${what}: ${describeIssues(envelope.error)}`);
  if (!envelope.data.ok) throw ApiError.fromBody(envelope.data.error);
  return envelope.data.result;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
