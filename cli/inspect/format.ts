/** One readable line per inspection or supervision message (text output); JSON output prints them as they are. */
import type { InspectionEvent } from '../../protocol/inspection.schema.js';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';

/** `12:01:02.345` of an ISO time (UTC, as `rdd watch` prints); the text itself when it is not one. */
export function clockOf(at: string): string {
  const time = new Date(at);
  return Number.isNaN(time.getTime()) ? at : time.toISOString().slice(11, 23);
}

/** What happened, after the actor: `connecting → connected.syncing  on …`, `← DESIRED {…}`, `▸ report`. */
export function describeInspection(message: InspectionEvent): string {
  const cause = message.event ? `  on ${message.event}` : '';
  switch (message.type) {
    case 'transition':
      return `${message.from ? `${message.from} → ` : '→ '}${message.to ?? '?'}${cause}`;
    case 'event': {
      const sender = message.sender ? ` from ${message.sender}` : '';
      const detail = message.detail ? ` ${message.detail}` : '';
      return `← ${message.event ?? '?'}${sender}${detail}`;
    }
    case 'action':
      return `▸ ${message.action ?? '?'}`;
    case 'created':
      return 'created';
    case 'stopped':
      return `stopped${cause}`;
  }
}

/** Actor ids shorter than `engine` are padded so the common ones line up. */
const actorWidth = 6;

export function formatInspection(message: InspectionEvent): string {
  return `${clockOf(message.at)}  ${message.actor.padEnd(actorWidth)}  ${describeInspection(message)}`;
}

export function describeSupervision(event: SupervisionEvent): string {
  switch (event.type) {
    case 'started':
      return event.restarts > 0 ? `started (restarts: ${event.restarts})` : 'started';
    case 'crashed':
      return `crashed: ${event.error.message}`;
    case 'restarting':
      return `restarting in ${Math.round(event.delayMs)} ms (restart ${event.restarts})`;
    case 'stopped':
      return `stopped (${event.reason})`;
    case 'escalated':
      return `escalated after ${event.restarts} restarts within ${Math.round(event.periodMs)} ms: ${event.error.message}`;
  }
}

/** `supervisor/child` is wide enough for `root/store` and `app/engine`. */
const childWidth = 10;

export function formatSupervision(event: SupervisionEvent): string {
  return `${clockOf(event.at)}  ${`${event.supervisor}/${event.child}`.padEnd(childWidth)}  ${describeSupervision(event)}`;
}
