/**
 * Where the daemon may send a reply. A request names its own reply subject, and the daemon publishes
 * with every right on the bus (it writes the store): a reply to `$KV.<bucket>.App.app` would overwrite
 * the App, one to `$JS.API.STREAM.PURGE.<stream>` would empty the store, one to an actor subject would
 * forge an actor's message. So a reply goes only to an inbox, a subject whose first token starts with
 * `_INBOX`: nats.js's default and every role's own prefix (bus-permissions.ts). A request with any other
 * reply subject is refused unanswered, counted and logged under {@link replySubjectSource}.
 */
import type { Logger } from 'winston';
import { rejections } from './rejections.js';

/** The rejection source `rdd svc status` counts refused reply subjects under. */
export const replySubjectSource = 'bus.reply';

const inbox = /^_INBOX[A-Za-z0-9_-]*\.[^.\s*>][^\s*>]*$/;

/** Whether a reply may go to `subject`: an inbox, with no wildcard and at least one token after the prefix. */
export function isInboxSubject(subject: string): boolean {
  return inbox.test(subject);
}

/**
 * True when `msg` names a reply subject that is not an inbox: counted, logged (rate-limited) and to be
 * dropped without running its handler. A message with no reply subject at all is a plain publish, not
 * refused here.
 */
export function refusedReplySubject(msg: { subject: string; reply?: string }, logger?: Logger): boolean {
  if (!msg.reply || isInboxSubject(msg.reply)) return false;
  rejections.record(
    replySubjectSource,
    `a request on ${msg.subject}`,
    `its reply subject ${JSON.stringify(msg.reply.slice(0, 200))} is not an inbox (replies go only to _INBOX… subjects)`,
    logger,
  );
  return true;
}
