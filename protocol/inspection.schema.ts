/**
 * Inspection on the bus: what every actor in the daemon receives, which transition it takes and which
 * actions it runs, as compact messages on `rdd.<instance>.inspect.<actor>.<type>` (XState's inspect
 * hook, turned into data). The daemon publishes only while someone holds a lease (a request on
 * `rdd.<instance>.inspection.lease`, renewed by the watcher), so nobody listening costs one clock read
 * per event. A request id (`Rdd-Trace` header) travels with every message a request causes, and each
 * inspection message carries it, so one request's path can be followed through the actors.
 */
import { z } from 'zod';
import { instanceSubject } from './subjects.js';
import { traceHeader } from './resource-names.js';

export { traceHeader };

export const inspectionTypes = ['created', 'stopped', 'event', 'transition', 'action'] as const;
export type InspectionType = (typeof inspectionTypes)[number];

/** At most this many characters of an event's payload are shown; longer ones are cut with "…". */
export const inspectionDetailLimit = 300;

export const inspectionEventSchema = z.object({
  /** ISO time the daemon saw it. */
  at: z.string(),
  /** The actor's id: `app`, `vm`, `engine`, `container:<first 12 of the ID>`; invoked children add `/<id>`. */
  actor: z.string(),
  type: z.enum(inspectionTypes),
  /** The event received (event), or the one that caused the transition or action. */
  event: z.string().optional(),
  /** Who sent the event, when XState knows (another actor of the same tree). */
  sender: z.string().optional(),
  /** The state before and after (transition), as dotted paths: `connected.watching`. */
  from: z.string().optional(),
  to: z.string().optional(),
  /** The action run (action). */
  action: z.string().optional(),
  /** The request id that caused it, if a traced request did. */
  trace: z.string().optional(),
  /** A bounded, credential-free JSON summary of the event's payload. */
  detail: z.string().optional(),
});
export type InspectionEvent = z.infer<typeof inspectionEventSchema>;

export const inspectionLeaseSchema = z.object({
  /** How long the daemon keeps publishing without another lease request (at most 60 s). */
  ttlMs: z.number().int().positive().max(60_000),
});

/** `rdd.<instance>.inspect.<actor>.<type>`; an actor id's `.` (none today) would become `_`. */
export function inspectSubject(instance: string, actor: string, type: InspectionType): string {
  return `${instanceSubject(instance)}.inspect.${actor.replace(/[.*>\s]/g, '_')}.${type}`;
}

export function inspectWildcard(instance: string): string {
  return `${instanceSubject(instance)}.inspect.>`;
}

export function inspectionLeaseSubject(instance: string): string {
  return `${instanceSubject(instance)}.inspection.lease`;
}
