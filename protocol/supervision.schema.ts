/**
 * Supervision telemetry: every start, crash, restart, stop and escalation a supervisor performs is
 * published as one of these messages, so a GUI or `nats sub` can see the tree's life as data.
 */
import { z } from 'zod';

const base = {
  /** Supervisor id, e.g. `root`. */
  supervisor: z.string(),
  /** Child id within that supervisor, e.g. `bus`; the supervisor's own id for `escalated`. */
  child: z.string(),
  /** ISO-8601 time the supervisor observed this. */
  at: z.string(),
};

export const supervisionEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('started'), restarts: z.number().int().nonnegative() }),
  z.object({
    ...base,
    type: z.literal('crashed'),
    error: z.object({ name: z.string(), message: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('restarting'),
    delayMs: z.number().nonnegative(),
    restarts: z.number().int().positive(),
  }),
  z.object({ ...base, type: z.literal('stopped'), reason: z.enum(['normal', 'shutdown', 'restart', 'killed']) }),
  z.object({
    ...base,
    type: z.literal('escalated'),
    restarts: z.number().int().nonnegative(),
    periodMs: z.number().nonnegative(),
    error: z.object({ name: z.string(), message: z.string() }),
  }),
]);

export type SupervisionEvent = z.infer<typeof supervisionEventSchema>;
export type SupervisionEventType = SupervisionEvent['type'];
