/**
 * Messages to the actor that owns a mirror, on `rdd.<instance>.mirrors.<Kind>.<name>.<verb>`. The API
 * validates a user's request and forwards it here; the owner is the only writer of its mirror, so every
 * change a user asks for goes through it (DESIGN.md §1, single writer). Replies use the API envelope.
 */
import { z } from 'zod';
import { containerActions, containerDesiredStates, lastActionSchema } from './container.schema.js';
import { maxStopTimeSeconds, stopTimeMessage } from './stop-time.js';

export const mirrorVerbs = ['delete', 'state', 'action'] as const;
export type MirrorVerb = (typeof mirrorVerbs)[number];

export const mirrorCommandSchemas = {
  /** Remove the engine object, then the mirror; `force` also removes an image in use. */
  delete: z.object({ force: z.boolean().default(false) }).strict(),
  /**
   * Container only: set `spec.state`. With `dryRun`, answer the mirror as it would be and store or do
   * nothing (`rdd ctl apply|patch --dry-run=server`).
   */
  state: z.object({ state: z.enum(containerDesiredStates), dryRun: z.boolean().default(false) }).strict(),
  /**
   * Container only: run a one-shot action; with `wait`, reply once it has finished. `stopTimeSeconds`
   * is a stop's or restart's grace period before the engine kills (docker stop -t); absent, the
   * container's own (10 s unless it was created with another).
   */
  action: z
    .object({
      action: z.enum(containerActions),
      wait: z.boolean().default(true),
      stopTimeSeconds: z
        .number({ error: stopTimeMessage })
        .int({ error: stopTimeMessage })
        .min(0, { error: stopTimeMessage })
        .max(maxStopTimeSeconds, { error: stopTimeMessage })
        .optional(),
    })
    .strict(),
} as const satisfies Record<MirrorVerb, z.ZodType>;

export type MirrorCommand<V extends MirrorVerb> = z.output<(typeof mirrorCommandSchemas)[V]>;

/** A container that keeps an engine object from being removed: its name and short ID. */
export const holderSchema = z.object({ name: z.string(), id: z.string() });
export type Holder = z.infer<typeof holderSchema>;

/**
 * Why the engine did not remove the object. `InUse`: it will not while something holds it (Docker's 409
 * conflict, or 403 for a network with endpoints); `EngineError`: the call itself failed. Either way the
 * mirror stays marked and the owner retries.
 */
export const deleteRefusalSchema = z.object({
  /** The object as messages name it: `image busybox:latest`, `volume data`, `container web`. */
  object: z.string(),
  reason: z.enum(['InUse', 'EngineError']),
  /** The engine's own words. */
  engineMessage: z.string(),
  /** The containers that hold the object, as their mirrors show them (may be empty). */
  heldBy: z.array(holderSchema),
  /** Whether deleting again with --force would remove it now (an image tag; nothing else). */
  forceRemoves: z.boolean(),
});
export type DeleteRefusal = z.infer<typeof deleteRefusalSchema>;

/** What a delete answers: whether the mirror is already gone or its deletion is still under way. */
export const deleteReplySchema = z.object({
  deleted: z.boolean(),
  message: z.string(),
  /** Set when the engine refused: the deletion stays pending and completes by itself. */
  refused: deleteRefusalSchema.optional(),
});
export type DeleteReply = z.infer<typeof deleteReplySchema>;

/** The first line of {@link explainRefusal}: what could not be deleted, in the engine's words. */
export function refusalSummary(refusal: DeleteRefusal): string {
  return `cannot delete ${refusal.object}: ${refusal.engineMessage}`;
}

/**
 * A refusal in words, one sentence a line: what the engine said, who holds the object, what happens
 * next and what the user can do. The mirror's condition and `rdd ctl delete` both say it this way.
 */
export function explainRefusal(refusal: DeleteRefusal): string[] {
  const lines = [refusalSummary(refusal)];
  if (refusal.reason === 'EngineError') {
    lines.push('the deletion stays pending and is retried');
    return lines;
  }
  const holders = refusal.heldBy.map((holder) => `${holder.name} (${holder.id})`);
  if (holders.length > 0) lines.push(`in use by container ${holders.join(', ')}`);
  lines.push('the deletion completes by itself once nothing uses it');
  if (refusal.forceRemoves) lines.push('delete with --force to remove it now');
  return lines;
}

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
