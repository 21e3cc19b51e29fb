/**
 * The live inspection feed: take the lease, subscribe to every inspection message of the instance, and
 * hand on the ones the filter keeps — until the signal aborts or the connection closes for good.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { describeIssues } from '../../protocol/api.schema.js';
import { ApiError } from '../../protocol/api-error.js';
import { inspectionEventSchema, inspectWildcard, type InspectionEvent } from '../../protocol/inspection.schema.js';
import { takeLease, type Lease } from './lease.js';

export interface FeedOptions {
  instance: string;
  keep: (message: InspectionEvent) => boolean;
  onMessage: (message: InspectionEvent) => void;
  progress: (line: string) => void;
}

/** Subscribes first, then takes the lease, so nothing the lease turns on is missed. */
async function openFeed(
  nc: NatsConnection,
  options: FeedOptions,
): Promise<{ subscription: Subscription; lease: Lease }> {
  let warned = false;
  const subscription = nc.subscribe(inspectWildcard(options.instance), {
    callback: (_error, msg) => {
      let body: unknown;
      try {
        body = msg.json();
      } catch {
        body = undefined;
      }
      const parsed = inspectionEventSchema.safeParse(body);
      if (!parsed.success) {
        if (!warned)
          options.progress(
            `ignoring a malformed inspection message on ${msg.subject}: ${describeIssues(parsed.error)}`,
          );
        warned = true;
        return;
      }
      if (options.keep(parsed.data)) options.onMessage(parsed.data);
    },
  });
  try {
    await nc.flush();
    return { subscription, lease: await takeLease(nc, options.instance, { progress: options.progress }) };
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  }
}

/** Runs until `signal` aborts; a connection that gives up is an error. */
export async function followInspection(
  nc: NatsConnection,
  options: FeedOptions & { signal: AbortSignal; onReady?: () => void },
): Promise<void> {
  const { subscription, lease } = await openFeed(nc, options);
  options.onReady?.();
  try {
    await new Promise<void>((resolve, reject) => {
      if (options.signal.aborted) return resolve();
      options.signal.addEventListener('abort', () => resolve(), { once: true });
      void nc
        .closed()
        .then((error) => reject(new ApiError('Unavailable', `lost the rdd bus${error ? `: ${error.message}` : ''}`)));
    });
  } finally {
    lease.stop();
    subscription.unsubscribe();
  }
}

/** How long the daemon gets to publish the last messages a request caused, after the request is done. */
export const traceFlushMs = 300;

export interface TraceRecorder {
  readonly trace: string;
  /** Waits for the last messages, stops, and returns what arrived (in arrival order). */
  finish(): Promise<InspectionEvent[]>;
}

/** Records every inspection message carrying `trace`; start it before sending the traced request. */
export async function recordTrace(
  nc: NatsConnection,
  instance: string,
  trace: string,
  progress: (line: string) => void,
): Promise<TraceRecorder> {
  const messages: InspectionEvent[] = [];
  const { subscription, lease } = await openFeed(nc, {
    instance,
    keep: (message) => message.trace === trace,
    onMessage: (message) => messages.push(message),
    progress,
  });
  return {
    trace,
    finish: async () => {
      await new Promise((resolve) => setTimeout(resolve, traceFlushMs));
      lease.stop();
      subscription.unsubscribe();
      return messages;
    },
  };
}
