/** The path one traced request took through the daemon's actors, from the inspection messages it caused. */
import type { InspectionEvent } from '../../protocol/inspection.schema.js';
import { formatInspection } from './format.js';

/** A traced request enters through the API service, which is not an XState actor and says nothing itself. */
const entry = 'api';

/** `engine` for `engine/connect`: an invoked child belongs to its root actor's step. */
export function rootActor(actor: string): string {
  const slash = actor.indexOf('/');
  return slash < 0 ? actor : actor.slice(0, slash);
}

/**
 * The actors in order of first appearance (messages in arrival order: the daemon publishes them on one
 * connection, so arrival is causal order), then the actor of the last message when it is not already
 * last: where the request ended, typically the App taking the reports back.
 */
export function tracePath(messages: readonly InspectionEvent[]): string[] {
  const path = [entry];
  for (const message of messages) {
    const actor = rootActor(message.actor);
    if (!path.includes(actor)) path.push(actor);
  }
  const last = messages.at(-1);
  if (last && rootActor(last.actor) !== path.at(-1)) path.push(rootActor(last.actor));
  return path;
}

/** `trace <id>: api → app → vm → engine → app`, then one indented line per message. */
export function formatTrace(trace: string, messages: readonly InspectionEvent[]): string[] {
  if (messages.length === 0) return [`trace ${trace}: ${entry} (no actor reported a message carrying it)`];
  return [
    `trace ${trace}: ${tracePath(messages).join(' → ')}`,
    ...messages.map((message) => `  ${formatInspection(message)}`),
  ];
}
