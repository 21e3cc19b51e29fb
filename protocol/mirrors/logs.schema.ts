/**
 * Container logs over the bus: one request opens a stream, and then three kinds of messages flow.
 *
 * - The request (`container.logs`, opened by the API on the engine connection's log server, in-process) names the
 *   container mirror, what to read (follow, tail, since, timestamps), a stream id the client picked,
 *   and the first credit window.
 * - Chunks go to the client's own inbox, `logChunkSubject(id)` (protocol/subjects.ts): the bytes as they are, the stream
 *   (`stdout`/`stderr`) in a header, so a megabyte of logs is not re-encoded as JSON. The last message
 *   of a stream is an end: why it ended, and an error in the API's shape when it failed.
 * - Credits and cancel go the other way, on `logCreditSubject(instance, id)`: the daemon sends one
 *   chunk per credit and pauses the engine's stream when the credit is spent, so a slow reader never
 *   grows the daemon's memory. A credit (even of 0) every heartbeat also proves the reader is alive.
 */
import { z } from 'zod';
import { apiErrorBodySchema } from '../errors.js';

export const logStreamIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{16,64}$/, 'log stream ids are 16-64 letters and digits');

/** The most chunks a client may have in flight, so its grants cannot make the daemon buffer without bound. */
export const maxLogWindow = 1024;
/** The largest chunk payload: a bigger engine frame is split, each part costing one credit. */
export const maxLogChunkBytes = 64 * 1024;
/** How often a reader sends credit (0 when it has nothing to grant): its heartbeat. */
export const logHeartbeatMs = 1_000;
/** No credit for this long means the reader is gone: the daemon closes the engine stream and forgets it. */
export const logReaderGoneMs = 3 * logHeartbeatMs + 500;

export const logsRequestSchema = z
  .object({
    /** The stream id, picked by the client; it names the chunk and credit subjects. */
    id: logStreamIdSchema,
    follow: z.boolean().default(false),
    /** The last N lines; -1 is all of them. */
    tail: z.number().int().min(-1).default(-1),
    /** Only lines from this moment on, in Unix seconds (fractions allowed); 0 is from the beginning. */
    since: z.number().nonnegative().default(0),
    timestamps: z.boolean().default(false),
    /** The chunks the daemon may send before the first grant. */
    window: z.number().int().min(1).max(maxLogWindow).default(64),
  })
  .strict();
export type LogsRequest = z.output<typeof logsRequestSchema>;

/** The answer to the request, sent once the engine's stream is open. */
export const logsReplySchema = z.object({
  id: logStreamIdSchema,
  /** A TTY container's output is one raw stream, shown as stdout. */
  tty: z.boolean(),
});
export type LogsReply = z.infer<typeof logsReplySchema>;

/** What a reader sends on the credit subject: more chunks, or stop. */
export const logCreditSchema = z.union([
  z.object({ credit: z.number().int().min(0).max(maxLogWindow) }).strict(),
  z.object({ cancel: z.literal(true) }).strict(),
]);
export type LogCredit = z.infer<typeof logCreditSchema>;

/**
 * Why a stream ended: `complete` (every line asked for was sent), `container-stopped` (a follow ended
 * with the container), `cancelled` (the reader asked), `reader-gone` (no heartbeat), `engine-gone`
 * (the engine connection ended), `failed` (the engine's stream failed; see the error).
 */
export const logEndReasons = [
  'complete',
  'container-stopped',
  'cancelled',
  'reader-gone',
  'engine-gone',
  'failed',
] as const;
export type LogEndReason = (typeof logEndReasons)[number];

export const logEndSchema = z.object({ reason: z.enum(logEndReasons), error: apiErrorBodySchema.optional() });
export type LogEnd = z.infer<typeof logEndSchema>;

/** The header that says what a message on the chunk subject carries. */
export const logKindHeader = 'Rdd-Log';
export const logKinds = ['stdout', 'stderr', 'end'] as const;
export type LogKind = (typeof logKinds)[number];
export type LogStreamName = Exclude<LogKind, 'end'>;
