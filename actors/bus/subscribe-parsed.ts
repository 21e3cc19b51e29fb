/**
 * Subscribes to an actor-to-actor subject and hands on only messages that parse and validate. A
 * malformed message (anyone on the bus with the credentials can publish) is logged and dropped: it
 * must never throw inside the NATS callback, where it would take the daemon down.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import type { z } from 'zod';
import { describeError } from '../../protocol/errors.js';
import { actorSubject } from '../../protocol/subjects.js';
import { traceOf, withTrace } from '../trace.js';

export function subscribeParsed<S extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  schema: S,
  logger: Logger,
  handle: (value: z.infer<S>) => void,
): Subscription {
  return nc.subscribe(subject, {
    callback: (error, msg) => {
      if (error) {
        logger.warn(`subscription to ${subject} failed: ${error.message}`);
        return;
      }
      let body: unknown;
      try {
        body = msg.json();
      } catch (parseError) {
        logger.warn(`ignored a message on ${subject} that is not JSON: ${describeError(parseError)}`);
        return;
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        logger.warn(`ignored a malformed message on ${subject}: ${describeError(parsed.error)}`);
        return;
      }
      withTrace(traceOf(msg), () => handle(parsed.data));
    },
  });
}

/**
 * How a VM or engine actor joins the bus: subscribe to its desired subject first, then say hello so
 * the App actor re-sends the current generation. In that order, the answer can never be missed.
 */
export function listenForDesired<S extends z.ZodType>(
  nc: NatsConnection,
  instance: string,
  actor: 'vm' | 'engine',
  schema: S,
  logger: Logger,
  handle: (desired: z.infer<S>) => void,
): Subscription {
  const subscription = subscribeParsed(nc, actorSubject(instance, actor, 'desired'), schema, logger, handle);
  nc.publish(actorSubject(instance, 'app', 'hello'), JSON.stringify({ from: actor }));
  return subscription;
}
