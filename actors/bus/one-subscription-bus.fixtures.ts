/**
 * For unit tests of one bus listener: a connection that takes a single subscription and lets the test
 * hand its callback whatever message shape the listener reads (subject, data, json, reply, respond).
 */
import type { NatsConnection } from '@nats-io/transport-node';

export interface OneSubscriptionBus {
  readonly nc: NatsConnection;
  /** Calls the subscription's callback with `msg`, as nats.js would on delivery. */
  deliver(msg: Record<string, unknown>): void;
  /** Calls the subscription's callback with an error, as nats.js does when the subscription fails. */
  fail(error: Error): void;
}

export function oneSubscriptionBus(): OneSubscriptionBus {
  let callback: ((error: Error | null, msg: unknown) => void) | undefined;
  const nc = {
    subscribe: (_subject: string, options: { callback: typeof callback }) => {
      callback = options.callback;
      return { unsubscribe: () => undefined };
    },
  } as unknown as NatsConnection;
  return { nc, deliver: (msg) => callback?.(null, msg), fail: (error) => callback?.(error, undefined) };
}
