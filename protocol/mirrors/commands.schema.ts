/**
 * Messages to the actor that owns a mirror, on `rdd.<instance>.mirrors.<Kind>.<name>.<verb>`. The API
 * validates a user's request and forwards it here; the owner is the only writer of its mirror, so every
 * change a user asks for goes through it (DESIGN.md §1, single writer). Replies use the API envelope.
 */
import { z } from 'zod';
import { containerActions, containerDesiredStates, lastActionSchema } from './container.schema.js';

export const mirrorVerbs = ['delete', 'state', 'action'] as const;
export type MirrorVerb = (typeof mirrorVerbs)[number];

export const mirrorCommandSchemas = {
  /** Remove the engine object, then the mirror; `force` also removes an image in use. */
  delete: z.object({ force: z.boolean().default(false) }).strict(),
  /** Container only: set `spec.state`. */
  state: z.object({ state: z.enum(containerDesiredStates) }).strict(),
  /** Container only: run a one-shot action; with `wait`, reply once it has finished. */
  action: z.object({ action: z.enum(containerActions), wait: z.boolean().default(true) }).strict(),
} as const satisfies Record<MirrorVerb, z.ZodType>;

export type MirrorCommand<V extends MirrorVerb> = z.output<(typeof mirrorCommandSchemas)[V]>;

/** What a delete answers: whether the mirror is already gone or its deletion is still under way. */
export const deleteReplySchema = z.object({ deleted: z.boolean(), message: z.string() });
export type DeleteReply = z.infer<typeof deleteReplySchema>;

/** What an action answers: the outcome when waited for, else that it was queued. */
export const actionReplySchema = z.object({ queued: z.boolean(), lastAction: lastActionSchema.optional() });
export type ActionReply = z.infer<typeof actionReplySchema>;

/** Why a sync ran: the first after connecting, after a reconnect, or the periodic resync. */
export const syncTriggers = ['connect', 'reconnect', 'periodic', 'mirrorImages'] as const;
export type SyncTrigger = (typeof syncTriggers)[number];

/**
 * What one sync changed, published on `rdd.<instance>.engine.drift`. After a connect every mirror
 * counts; after that, anything non-zero is drift the event stream missed.
 */
export const syncReportSchema = z.object({
  trigger: z.enum(syncTriggers),
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  /** Objects whose inspect failed: their mirrors were kept and are retried with backoff. */
  failed: z.number().int().nonnegative(),
  /** `Kind/name` of every mirror the sync created, changed or removed (at most 50). */
  changed: z.array(z.string()),
  durationMs: z.number().nonnegative(),
  completedAt: z.string(),
});
export type SyncReport = z.infer<typeof syncReportSchema>;
