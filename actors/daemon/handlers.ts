/** The API's endpoint handlers: thin calls into the store and the daemon's own state. */
import type { DaemonStatus } from '../../protocol/api.schema.js';
import { appKind } from '../../protocol/app.schema.js';
import { requestEnveloped } from '../../client/api-client.js';
import { ApiError, describeError, NotFoundError } from '../../protocol/errors.js';
import { actionReplySchema, deleteReplySchema, type MirrorVerb } from '../../protocol/mirrors/commands.schema.js';
import { containerKind } from '../../protocol/mirrors/container.schema.js';
import { mirrorKinds, UnknownKindError, type MirrorKind } from '../../protocol/mirrors/kinds.js';
import { logsReplySchema } from '../../protocol/mirrors/logs.schema.js';
import { resourceSchema } from '../../protocol/resource.schema.js';
import { actorSubject } from '../../protocol/subjects.js';
import type { Handlers } from '../api/api.child.js';
import type { ChildRegistry } from '../api/child-registry.js';
import type { MirrorRequests } from '../app/app-subtree-api.js';
import { rejections } from '../bus/rejections.js';
import { openLogStreamCount } from '../engine/container-logs.js';
import { engineEventRoutingFailures } from '../engine/engine-events.js';
import { rootChildren } from './root-children.js';

export interface DaemonFacts {
  instance: string;
  version: string;
  startedAt: string;
  children: () => DaemonStatus['children'];
  requestShutdown: () => void;
}

// An action may wait for the engine (a stop waits up to the container's stop timeout); the CLI's own
// --timeout is what the user sees, these only bound a request nobody is waiting for any more.
const actionTimeoutMs = 10 * 60_000;
const deleteTimeoutMs = 5 * 60_000;
const stateTimeoutMs = 60_000;
const logsOpenTimeoutMs = 30_000;

/**
 * Hands a validated request to the mirror's owner in the engine actor's mirror supervisor, in-process
 * (one hop, as `app.set` reaches the App actor). Whatever the owner fails with is answered as the
 * mirror's own server answers it; no supervisor is Unavailable, and nobody waits past `timeoutMs`.
 */
async function toMirror(
  mirrors: () => MirrorRequests,
  kind: string,
  name: string,
  verb: MirrorVerb,
  body: unknown,
  timeoutMs: number,
): Promise<unknown> {
  let owner: MirrorRequests;
  try {
    owner = mirrors();
  } catch {
    throw new ApiError(
      'Unavailable',
      `${kind}/${name}: the container engine is not mirrored right now (the App is stopped, or its engine is not moby)`,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ApiError('Timeout', `no answer to ${verb} of ${kind}/${name} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const answered = owner.request(kind, name, verb, body).catch((failure: unknown) => {
    throw failure instanceof ApiError ? failure : new ApiError('Internal', describeError(failure));
  });
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function daemonHandlers(facts: DaemonFacts): (children: ChildRegistry) => Handlers {
  return (children) => {
    const bus = () => children.get(rootChildren.bus);
    const mirrors = () => children.get(rootChildren.app).mirrors();
    return {
      'svc.status': async () => {
        // The status answers even when the App cannot be read (an invalid stored App, a restarting actor).
        const app = await children
          .get(rootChildren.app)
          .get()
          .catch(() => null);
        const enginePid = app?.status.vm?.enginePid;
        return {
          instance: facts.instance,
          version: facts.version,
          pid: process.pid,
          natsUrl: bus().creds.url,
          ...(enginePid === undefined ? {} : { enginePid }),
          startedAt: facts.startedAt,
          children: facts.children(),
          actors: [...children.get(rootChildren.inspection).states].map(([id, state]) => ({ id, state })),
          rejected: rejections.snapshot(),
          logStreams: openLogStreamCount(),
          eventRoutingFailures: engineEventRoutingFailures.count,
        };
      },
      'app.get': async () => {
        const app = await children.get(rootChildren.app).get();
        if (!app) throw new NotFoundError('App "app" not found; create it with rdd set or rdd start');
        return app;
      },
      'app.set': (request) => children.get(rootChildren.app).set(request),
      'svc.stop': () => {
        // Reply first: the shutdown stops this very service.
        setTimeout(facts.requestShutdown, 20);
        return Promise.resolve({ stopping: true as const });
      },
      'resource.get': async ({ kind, name }) => {
        const found = await children.get(rootChildren.store).get(kind, name);
        if (!found) throw new NotFoundError(`${kind} ${JSON.stringify(name)} not found`);
        return found;
      },
      'resource.delete': ({ kind, name, force }) => {
        if (kind === appKind) {
          throw new ApiError(
            'Forbidden',
            'the App cannot be deleted; stop it with rdd stop, or remove the instance with rdd svc delete',
          );
        }
        if (!mirrorKinds.includes(kind as MirrorKind)) throw new UnknownKindError(kind);
        return toMirror(mirrors, kind, name, 'delete', { force }, deleteTimeoutMs).then((reply) =>
          deleteReplySchema.parse(reply),
        );
      },
      'container.state': ({ name, state, dryRun }) =>
        toMirror(mirrors, containerKind, name, 'state', { state, dryRun }, stateTimeoutMs).then((reply) =>
          resourceSchema.parse(reply),
        ),
      'container.action': ({ name, ...body }) =>
        toMirror(mirrors, containerKind, name, 'action', body, actionTimeoutMs).then((reply) =>
          actionReplySchema.parse(reply),
        ),
      'container.logs': (request) =>
        requestEnveloped(bus().nc, actorSubject(facts.instance, 'engine', 'logs'), request, {
          timeoutMs: logsOpenTimeoutMs,
          what: `logs of Container/${request.name}`,
          silent: `Container/${request.name}: the container engine is not connected right now (the App is stopped, or its engine is not moby)`,
        }).then((reply) => logsReplySchema.parse(reply)),
      'resource.list': async ({ kind }) => ({
        apiVersion: 'v1' as const,
        kind: 'List' as const,
        items: await children.get(rootChildren.store).list(kind),
      }),
    };
  };
}
