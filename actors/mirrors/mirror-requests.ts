/**
 * Users' requests to mirror owners, on `rdd.<instance>.mirrors.<Kind>.<name>.<verb>`: one wildcard
 * subscription for every mirror (not one per actor), each request checked before any owner sees it
 * and answered with the API's reply envelope. The daemon's API is the only sender meant to be on
 * these subjects, so a request that is not JSON or not a valid command is also counted (rejections.ts).
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import { ApiError, describeError } from '../../protocol/errors.js';
import {
  mirrorCommandSchemas,
  mirrorVerbs,
  type MirrorCommand,
  type MirrorVerb,
} from '../../protocol/mirrors/commands.schema.js';
import { containerNamespaceKind } from '../../protocol/mirrors/container-namespace.schema.js';
import { firstIssue } from '../../client/store.js';
import { mirrorWildcard } from '../../protocol/subjects.js';
import { rejections } from '../bus/rejections.js';
import { rejectedAsReplay } from '../bus/stream-replays.js';

const requestSource = 'mirrors.request';

export type RequestHandler = (kind: string, name: string, verb: string, body: unknown) => Promise<unknown>;

export function listenForMirrorRequests(
  nc: NatsConnection,
  instance: string,
  logger: Logger,
  handle: RequestHandler,
): Subscription {
  return nc.subscribe(mirrorWildcard(instance), {
    callback: (error, msg) => {
      if (error) {
        logger.warn(`mirror requests: ${error.message}`);
        return;
      }
      if (rejectedAsReplay(nc, msg, requestSource, logger)) return;
      const [, , , kind = '', name = '', verb = ''] = msg.subject.split('.');
      const body = msg.data.length === 0 ? {} : safeJson(msg.data);
      const issue = shapeIssue(verb, body);
      if (issue) {
        rejections.record(requestSource, `a request on ${msg.subject}`, issue, logger);
        msg.respond(
          JSON.stringify({ ok: false, error: new ApiError('Invalid', `bad ${verb} request: ${issue}`).toBody() }),
        );
        return;
      }
      handle(kind, name, verb, body).then(
        (result) => msg.respond(JSON.stringify({ ok: true, result })),
        (failure: unknown) => msg.respond(JSON.stringify({ ok: false, error: toErrorBody(failure) })),
      );
    },
  });
}

/** The verb and body of a request, validated; what no owner could accept is refused here. */
export function checkedRequest(
  kind: string,
  name: string,
  verb: string,
  body: unknown,
): { verb: MirrorVerb; command: MirrorCommand<MirrorVerb> } {
  if (!mirrorVerbs.includes(verb as MirrorVerb)) {
    throw new ApiError('Invalid', `unknown mirror request "${verb}"; valid: ${mirrorVerbs.join(', ')}`);
  }
  if (kind === containerNamespaceKind) {
    throw new ApiError(
      'Forbidden',
      `ContainerNamespace/${name} is managed by rdd: it exists while the moby engine runs, and cannot be deleted or changed`,
    );
  }
  const parsed = mirrorCommandSchemas[verb as MirrorVerb].safeParse(body);
  if (!parsed.success) throw new ApiError('Invalid', `bad ${verb} request: ${parsed.error.message}`);
  return { verb: verb as MirrorVerb, command: parsed.data };
}

/** Why a request cannot be a command at all (not JSON, an unknown verb, a malformed body), or null. */
function shapeIssue(verb: string, body: unknown): string | null {
  if (body === notJson) return 'not JSON';
  if (!mirrorVerbs.includes(verb as MirrorVerb))
    return `unknown mirror request "${verb}"; valid: ${mirrorVerbs.join(', ')}`;
  const parsed = mirrorCommandSchemas[verb as MirrorVerb].safeParse(body);
  return parsed.success ? null : firstIssue(parsed.error);
}

const notJson = Symbol('not JSON');

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return notJson;
  }
}

function toErrorBody(failure: unknown) {
  const error = failure instanceof ApiError ? failure : new ApiError('Internal', describeError(failure));
  return error.toBody();
}
