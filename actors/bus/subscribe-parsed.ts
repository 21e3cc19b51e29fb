/**
 * Subscribes to an actor-to-actor subject and hands on only messages that parse and validate. A
 * malformed message (anyone on the bus with the credentials can publish) is logged and dropped: it
 * must never throw inside the NATS callback, where it would take the daemon down. Each one is counted
 * by its subject (rejections.ts), so `rdd svc status` shows that someone is publishing garbage.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import { z } from 'zod';
import { describeError } from '../../protocol/errors.js';
import { firstIssue } from '../../client/store.js';
import { actorSubject } from '../../protocol/subjects.js';
import { traceOf, withTrace } from '../trace.js';
import { rejections, subjectSource } from './rejections.js';
import { rejectedAsReplay } from './stream-replays.js';

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
      const source = subjectSource(subject);
      if (rejectedAsReplay(nc, msg, source, logger)) return;
      let body: unknown;
      try {
        body = msg.json();
      } catch (parseError) {
        rejections.record(source, `a message on ${subject}`, `not JSON (${describeError(parseError)})`, logger);
        return;
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        rejections.record(source, `a message on ${subject}`, firstIssue(parsed.error), logger);
        return;
      }
      try {
        withTrace(traceOf(msg), () => handle(parsed.data));
      } catch (handleError) {
        // The handler's own failure: still never out of the NATS callback.
        logger.warn(`failed to handle a message on ${subject}: ${describeError(handleError)}`);
      }
    },
  });
}

/** What a VM or engine actor says on `app.hello` when it (re)starts. */
export const helloSchema = z.object({ from: z.enum(['vm', 'engine']) }).strict();

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
  const hello: z.infer<typeof helloSchema> = { from: actor };
  nc.publish(actorSubject(instance, 'app', 'hello'), JSON.stringify(hello));
  return subscription;
}
