/**
 * The daemon's request/reply API: every endpoint, its request and its reply, validated on both sides.
 * Endpoints are named `<kind>.<verb>` and live on `rdd.<instance>.api.<kind>.<verb>`.
 */
import { z } from 'zod';
import { describeUnknownProperty } from './app.admission.js';
import { apiErrorBodySchema } from './errors.js';
import { appProperties, appSchema } from './app.schema.js';
import { maxPropertyValueLength, quoteForMessage } from './limits.js';
import { resourceSchema } from './resource.schema.js';
import { actionReplySchema, deleteReplySchema, mirrorCommandSchemas } from './mirrors/commands.schema.js';
import { kindInfos } from './mirrors/kinds.js';
import { logsReplySchema, logsRequestSchema } from './mirrors/logs.schema.js';
import { setConflictReasons } from './resource-names.js';

export { setConflictReasons };

/** What `rdd svc status` shows about a running daemon. */
export const daemonStatusSchema = z.object({
  instance: z.string(),
  version: z.string(),
  pid: z.number().int().positive(),
  natsUrl: z.string(),
  /** The engine process the VM driver runs (dockerd, or the Lima host agent), when there is one. */
  enginePid: z.number().int().positive().optional(),
  startedAt: z.string(),
  /** Each supervised child, in start order, with how often it was restarted. */
  children: z.array(
    z.object({
      supervisor: z.string(),
      id: z.string(),
      running: z.boolean(),
      restarts: z.number().int().nonnegative(),
      lastError: z.string().optional(),
    }),
  ),
  /** The current state of each state-machine actor (app, vm, engine), as a dotted path. */
  actors: z.array(z.object({ id: z.string(), state: z.string() })).default([]),
  /**
   * What the daemon refused to act on since it started: bus messages, engine events and stored values
   * that failed validation, by source (`vm.status`, `engine.events`, `store.Container`, …). Absent from
   * older daemons, read as none.
   */
  rejected: z
    .object({ total: z.number().int().nonnegative(), bySource: z.record(z.string(), z.number().int().nonnegative()) })
    .default({ total: 0, bySource: {} }),
  /** Container log streams open now; absent from older daemons, read as none. */
  logStreams: z.number().int().nonnegative().default(0),
  /** Engine events whose routing threw (a bug of rdd's, logged at warn); absent from older daemons. */
  eventRoutingFailures: z.number().int().nonnegative().default(0),
});
export type DaemonStatus = z.infer<typeof daemonStatusSchema>;

/**
 * Who sent an `app.set` and what it saw: the id the client picked for this change (the same on every
 * retry) and the generation of the App it read before sending (0 when there was no App).
 */
export const setRequestIdentitySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'request ids are 8-64 of A-Z, a-z, 0-9, "_" and "-"'),
    basedOnGeneration: z.number().int().nonnegative(),
  })
  .strict();
export type SetRequestIdentity = z.infer<typeof setRequestIdentitySchema>;

/**
 * How an `app.set` ended: stored now (`applied`), found stored by an earlier send of the same request
 * (`already-applied`), or nothing to store because the spec already holds the values (`unchanged`).
 */
export const setOutcomes = ['applied', 'already-applied', 'unchanged'] as const;
export type SetOutcome = (typeof setOutcomes)[number];

/**
 * Why an `app.set` was refused with Conflict: the App moved on from the generation the request was
 * based on (not applied; read it again and resend), or the App moved so far that whether the request
 * was applied can no longer be told.
 */
const kindNames = kindInfos.map((info) => info.kind);

/** A kind in a request: one the daemon stores, named as stored (`Container`, not `container`). */
const kindSchema = z.enum(kindNames as [string, ...string[]], {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `unknown kind ${quoteForMessage(issue.input)}; valid kinds: ${kindNames.join(', ')}`
      : `expected a kind, one of: ${kindNames.join(', ')}`,
});

/** A name in a request: checked here, before it becomes a KV key or a subject token. */
const nameSchema = resourceSchema.shape.metadata.shape.name;

/**
 * What `app.set` may change: only the App's properties, each a bounded string. Checked on the raw
 * keys, so `__proto__`, `constructor` and the like are refused rather than dropped or inherited; the
 * values' forms are checked by admission (protocol/app.admission.ts), which names what each accepts.
 */
const changesSchema = z
  .object(
    Object.fromEntries(
      appProperties.map((property) => [
        property.path,
        z
          .string()
          .max(maxPropertyValueLength, { error: `values are at most ${maxPropertyValueLength} characters` })
          .optional(),
      ]),
    ),
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.slice(0, 3).map(describeUnknownProperty).join('; ')
          : 'expected an object of property path to value, e.g. {"running": "true"}',
    },
  )
  .strict()
  .transform((changes) =>
    Object.fromEntries(Object.entries(changes).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  );

export const endpoints = {
  'svc.status': { request: z.object({}).strict(), reply: daemonStatusSchema },
  'svc.stop': { request: z.object({}).strict(), reply: z.object({ stopping: z.literal(true) }) },
  'resource.get': { request: z.object({ kind: kindSchema, name: nameSchema }).strict(), reply: resourceSchema },
  /** Large listings come in parts (actors/bus/request-server.ts); `leftOut` names stored values that are not valid. */
  'resource.list': {
    request: z.object({ kind: kindSchema }).strict(),
    reply: z.object({
      apiVersion: z.literal('v1'),
      kind: z.literal('List'),
      items: z.array(resourceSchema),
      leftOut: z.array(z.object({ key: z.string(), revision: z.number().int(), issue: z.string() })),
    }),
  },
  'resource.delete': {
    request: z.object({ kind: kindSchema, name: nameSchema }).extend(mirrorCommandSchemas.delete.shape).strict(),
    reply: deleteReplySchema,
  },
  'container.state': {
    request: z.object({ name: nameSchema }).extend(mirrorCommandSchemas.state.shape).strict(),
    reply: resourceSchema,
  },
  'container.action': {
    request: z.object({ name: nameSchema }).extend(mirrorCommandSchemas.action.shape).strict(),
    reply: actionReplySchema,
  },
  /** Opens a log stream; the chunks follow on the reader's inbox (protocol/mirrors/logs.schema.ts). */
  'container.logs': {
    request: z.object({ name: nameSchema }).extend(logsRequestSchema.shape).strict(),
    reply: logsReplySchema,
  },
  'app.get': { request: z.object({}).strict(), reply: appSchema },
  'app.set': {
    request: z
      .object({
        /** Property path → raw value, as typed after `rdd set` (`running=true`). */
        changes: changesSchema,
        /** Validate on the daemon, persist nothing. */
        dryRun: z.boolean().default(false),
        /** What makes sending the same request again safe (see actors/app/app-writer.ts). */
        request: setRequestIdentitySchema,
      })
      .strict(),
    reply: z.object({
      app: appSchema,
      changed: z.boolean(),
      outcome: z.enum(setOutcomes),
      /** The generation that holds the change: the one to wait for. */
      generation: z.number().int().nonnegative(),
    }),
  },
} as const;

export type EndpointName = keyof typeof endpoints;
export const endpointNames = Object.keys(endpoints) as EndpointName[];
/** What a client sends (defaults may be left out). */
export type RequestOf<E extends EndpointName> = z.input<(typeof endpoints)[E]['request']>;
/** What a handler receives, after validation filled the defaults in. */
export type ParsedRequestOf<E extends EndpointName> = z.output<(typeof endpoints)[E]['request']>;
export type ReplyOf<E extends EndpointName> = z.infer<(typeof endpoints)[E]['reply']>;

/** Every reply is one of these, so a client never has to guess whether it got a result. */
export const replyEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorBodySchema }),
]);
export type ReplyEnvelope = z.infer<typeof replyEnvelopeSchema>;

/** Splits `svc.status` into the subject parts `svc` and `status`. */
export function endpointParts(name: EndpointName): [kind: string, verb: string] {
  const [kind = '', verb = ''] = name.split('.');
  return [kind, verb];
}

/** One readable line per validation problem: `kind: Invalid input: expected string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}
