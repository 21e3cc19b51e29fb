/**
 * Users' requests to mirror owners, on `rdd.<instance>.mirrors.<Kind>.<name>.<verb>`: one wildcard
 * subscription for every mirror (not one per actor), each request checked before any owner sees it
 * and answered with the API's reply envelope (through actors/bus/request-server.ts). The daemon's API
 * reaches the owners in-process, not here; only a holder of the daemon's own credentials may send on
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
import { readJson, RefusedRequest, serveRequests } from '../bus/request-server.js';

export type RequestHandler = (kind: string, name: string, verb: string, body: unknown) => Promise<unknown>;

interface MirrorRequest {
  kind: string;
  name: string;
  verb: string;
  body: unknown;
}

export function listenForMirrorRequests(
  nc: NatsConnection,
  instance: string,
  logger: Logger,
  handle: RequestHandler,
): Subscription {
  return serveRequests<MirrorRequest>(
    nc,
    mirrorWildcard(instance),
    {
      name: 'mirror',
      rejectionSource: 'mirrors.request',
      parse: (data, subject) => {
        const [, , , kind = '', name = '', verb = ''] = subject.split('.');
        const read = readJson(data);
        const issue = read.json ? shapeIssue(verb, read.value) : 'not JSON';
        if (issue) throw new RefusedRequest(`bad ${verb} request: ${issue}`, issue);
        return { kind, name, verb, body: read.json ? read.value : undefined };
      },
      handle: ({ kind, name, verb, body }) => handle(kind, name, verb, body),
      internalMessage: describeError,
    },
    logger,
  );
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

/** Why a request cannot be a command at all (an unknown verb, a malformed body), or null. */
function shapeIssue(verb: string, body: unknown): string | null {
  if (!mirrorVerbs.includes(verb as MirrorVerb))
    return `unknown mirror request "${verb}"; valid: ${mirrorVerbs.join(', ')}`;
  const parsed = mirrorCommandSchemas[verb as MirrorVerb].safeParse(body);
  return parsed.success ? null : firstIssue(parsed.error);
}
