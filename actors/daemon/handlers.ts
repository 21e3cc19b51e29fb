/** The API's endpoint handlers: thin calls into the store and the daemon's own state. */
import type { DaemonStatus } from '../../protocol/api.schema.js';
import { appKind } from '../../protocol/app.schema.js';
import { requestEnveloped } from '../../client/api-client.js';
import { ApiError, NotFoundError } from '../../protocol/errors.js';
import { actionReplySchema, deleteReplySchema, type MirrorVerb } from '../../protocol/mirrors/commands.schema.js';
import { containerKind } from '../../protocol/mirrors/container.schema.js';
import { mirrorKinds, UnknownKindError, type MirrorKind } from '../../protocol/mirrors/kinds.js';
import { logsReplySchema } from '../../protocol/mirrors/logs.schema.js';
import { resourceSchema } from '../../protocol/resource.schema.js';
import { actorSubject, mirrorSubject } from '../../protocol/subjects.js';
import type { Inspection } from '../inspection/inspection.js';
import type { ResourceStore } from '../../client/store.js';
import type { Handlers } from '../api/api.child.js';
import type { AppActorApi } from '../app/app.actor.js';
import type { Bus } from '../bus/bus.child.js';
import { rejections } from '../bus/rejections.js';
import { openLogStreamCount } from '../engine/container-logs.js';

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

/** Forwards a validated request to the actor that owns the mirror, through the bus. */
function toMirror(
  instance: string,
  lookup: <V>(id: string) => V,
  kind: string,
  name: string,
  verb: MirrorVerb,
  body: unknown,
  timeoutMs: number,
): Promise<unknown> {
  return requestEnveloped(lookup<Bus>('bus').nc, mirrorSubject(instance, kind, name, verb), body, {
    timeoutMs,
    what: `${verb} of ${kind}/${name}`,
    silent: `${kind}/${name}: the container engine is not mirrored right now (the App is stopped, or its engine is not moby)`,
  });
}

export function daemonHandlers(facts: DaemonFacts): (lookup: <V>(id: string) => V) => Handlers {
  return (lookup) => ({
    'svc.status': async () => {
      // The status answers even when the App cannot be read (an invalid stored App, a restarting actor).
      const app = await lookup<AppActorApi>('app')
        .get()
        .catch(() => null);
      const enginePid = app?.status.vm?.enginePid;
      return {
        instance: facts.instance,
        version: facts.version,
        pid: process.pid,
        natsUrl: lookup<Bus>('bus').creds.url,
        ...(enginePid === undefined ? {} : { enginePid }),
        startedAt: facts.startedAt,
        children: facts.children(),
        actors: [...lookup<Inspection>('inspection').states].map(([id, state]) => ({ id, state })),
        rejected: rejections.snapshot(),
        logStreams: openLogStreamCount(),
      };
    },
    'app.get': async () => {
      const app = await lookup<AppActorApi>('app').get();
      if (!app) throw new NotFoundError('App "app" not found; create it with rdd set or rdd start');
      return app;
    },
    'app.set': (request) => lookup<AppActorApi>('app').set(request),
    'svc.stop': () => {
      // Reply first: the shutdown stops this very service.
      setTimeout(facts.requestShutdown, 20);
      return Promise.resolve({ stopping: true as const });
    },
    'resource.get': async ({ kind, name }) => {
      const found = await lookup<ResourceStore>('store').get(kind, name);
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
      return toMirror(facts.instance, lookup, kind, name, 'delete', { force }, deleteTimeoutMs).then((reply) =>
        deleteReplySchema.parse(reply),
      );
    },
    'container.state': ({ name, state, dryRun }) =>
      toMirror(facts.instance, lookup, containerKind, name, 'state', { state, dryRun }, stateTimeoutMs).then((reply) =>
        resourceSchema.parse(reply),
      ),
    'container.action': ({ name, ...body }) =>
      toMirror(facts.instance, lookup, containerKind, name, 'action', body, actionTimeoutMs).then((reply) =>
        actionReplySchema.parse(reply),
      ),
    'container.logs': (request) =>
      requestEnveloped(lookup<Bus>('bus').nc, actorSubject(facts.instance, 'engine', 'logs'), request, {
        timeoutMs: logsOpenTimeoutMs,
        what: `logs of Container/${request.name}`,
        silent: `Container/${request.name}: the container engine is not connected right now (the App is stopped, or its engine is not moby)`,
      }).then((reply) => logsReplySchema.parse(reply)),
    'resource.list': async ({ kind }) => ({
      apiVersion: 'v1' as const,
      kind: 'List' as const,
      items: await lookup<ResourceStore>('store').list(kind),
    }),
  });
}
