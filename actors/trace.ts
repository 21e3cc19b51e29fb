/**
 * The request id a traced request carries (the `Rdd-Trace` header), kept across awaits with
 * AsyncLocalStorage: whatever an API handler or a bus handler does on behalf of a message — writes,
 * machine events, the messages it publishes — knows the id, so inspection can tag it and the next
 * message can carry it on.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { traceHeader } from '../protocol/inspection.schema.js';

const storage = new AsyncLocalStorage<string>();

export function currentTrace(): string | undefined {
  return storage.getStore();
}

/** Runs `work` on behalf of `trace` (or as it is when there is none). */
export function withTrace<T>(trace: string | undefined, work: () => T): T {
  return trace ? storage.run(trace, work) : work();
}

/**
 * The trace id a message carries, if any (any NATS client's message: only `get` is used). Headers a
 * client wrote badly (a name with a space or a line break) make nats.js throw as it decodes them: such a
 * message has no trace, and the throw must not reach the subscription callback, where it would stop
 * the connection reading anything at all.
 */
export function traceOf(msg: { headers?: { get(key: string): string } }): string | undefined {
  let value: string | undefined;
  try {
    value = msg.headers?.get(traceHeader);
  } catch {
    return undefined;
  }
  return value ? value : undefined;
}

/** Publishes JSON, carrying the current trace id along. */
export function publishJson(nc: NatsConnection, subject: string, body: unknown): void {
  const trace = currentTrace();
  if (!trace) return nc.publish(subject, JSON.stringify(body));
  const carried = headers();
  carried.set(traceHeader, trace);
  nc.publish(subject, JSON.stringify(body), { headers: carried });
}
