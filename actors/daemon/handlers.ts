/** The API's endpoint handlers: thin calls into the store and the daemon's own state. */
import type { DaemonStatus } from '../../protocol/api.schema.js';
import { appKind } from '../../protocol/app.schema.js';
import { ApiError, describeError, NotFoundError } from '../../protocol/errors.js';
import { actionReplySchema, deleteReplySchema, type MirrorVerb } from '../../protocol/mirrors/commands.schema.js';
import { containerKind } from '../../protocol/mirrors/container.schema.js';
import { mirrorKinds, UnknownKindError, type MirrorKind } from '../../protocol/mirrors/kinds.js';
import type { LogsReply } from '../../protocol/mirrors/logs.schema.js';
import { resourceSchema } from '../../protocol/resource.schema.js';
import type { Handlers } from '../api/api.child.js';
import type { ChildRegistry } from '../api/child-registry.js';
import type { LogOpener, MirrorRequests } from '../app/app-subtree-api.js';
import { rejections } from '../bus/rejections.js';
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

/** Settles as `work` does, or fails with Timeout after `timeoutMs`: nobody waits for ever. */
async function within<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError('Timeout', `no answer to ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An owner's failure as the API answers it: its own ApiError as it is, anything else Internal. */
function asApiError(failure: unknown, internalMessage: string): ApiError {
  return failure instanceof ApiError ? failure : new ApiError('Internal', internalMessage);
}

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
  const answered = owner.request(kind, name, verb, body).catch((failure: unknown) => {
    throw asApiError(failure, describeError(failure));
  });
  return within(answered, timeoutMs, `${verb} of ${kind}/${name}`);
}

/**
 * Opens a log stream on the open engine connection's log server, in-process; its chunks then flow to
 * the reader on the bus. No connection is Unavailable, as it was when this went over the bus.
 */
async function openLogs(
  logs: () => LogOpener,
  request: Parameters<LogOpener['open']>[0],
  timeoutMs: number,
): Promise<LogsReply> {
  let server: LogOpener;
  try {
    server = logs();
  } catch {
    throw new ApiError(
      'Unavailable',
      `Container/${request.name}: the container engine is not connected right now (the App is stopped, or its engine is not moby)`,
    );
  }
  const opened = server.open(request).catch((failure: unknown) => {
    throw asApiError(failure, `logs failed: ${describeError(failure)}`);
  });
  return within(opened, timeoutMs, `logs of Container/${request.name}`);
}

export function daemonHandlers(facts: DaemonFacts): (children: ChildRegistry) => Handlers {
  return (children) => {
    const bus = () => children.get(rootChildren.bus);
    const mirrors = () => children.get(rootChildren.app).mirrors();
    const logs = () => children.get(rootChildren.app).logs();
    return {
      'svc.status': async () => {
        // The status answers even when the App cannot be read (an invalid stored App, a restarting actor).
        const app = await children
          .get(rootChildren.app)
          .get()
          .catch(() => null);
        const enginePid = app?.status.vm?.enginePid;
        const counts = children.get(rootChildren.app).engineCounts();
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
          logStreams: counts.openLogStreams,
          eventRoutingFailures: counts.eventRoutingFailures,
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
      'container.logs': (request) => openLogs(logs, request, logsOpenTimeoutMs),
      'resource.list': async ({ kind }) => {
        // Left out of the items, and named for the client to warn about, as its own read of the bucket would.
        const leftOut: { key: string; revision: number; issue: string }[] = [];
        const items = await children
          .get(rootChildren.store)
          .list(kind, { onInvalid: ({ key, revision, issue }) => void leftOut.push({ key, revision, issue }) });
        return { apiVersion: 'v1' as const, kind: 'List' as const, items, leftOut };
      },
    };
  };
}
