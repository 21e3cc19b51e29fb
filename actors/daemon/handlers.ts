/** The API's endpoint handlers: thin calls into the store and the daemon's own state. */
import type { DaemonStatus } from '../../protocol/api.schema.js';
import { NotFoundError } from '../../protocol/errors.js';
import type { ResourceStore } from '../../protocol/store.js';
import type { Handlers } from '../api/api.child.js';
import type { AppActorApi } from '../app/app.actor.js';
import type { Bus } from '../bus/bus.child.js';

export interface DaemonFacts {
  instance: string;
  version: string;
  startedAt: string;
  children: () => DaemonStatus['children'];
  requestShutdown: () => void;
}

export function daemonHandlers(facts: DaemonFacts): (lookup: <V>(id: string) => V) => Handlers {
  return (lookup) => ({
    'svc.status': async () => {
      const enginePid = (await lookup<AppActorApi>('app').get())?.status.vm?.enginePid;
      return {
        instance: facts.instance,
        version: facts.version,
        pid: process.pid,
        natsUrl: lookup<Bus>('bus').creds.url,
        ...(enginePid === undefined ? {} : { enginePid }),
        startedAt: facts.startedAt,
        children: facts.children(),
      };
    },
    'app.get': async () => {
      const app = await lookup<AppActorApi>('app').get();
      if (!app) throw new NotFoundError('App "app" not found; create it with rdd set or rdd start');
      return app;
    },
    'app.set': ({ changes, dryRun }) => lookup<AppActorApi>('app').set(changes, dryRun),
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
    'resource.list': async ({ kind }) => ({
      apiVersion: 'v1' as const,
      kind: 'List' as const,
      items: await lookup<ResourceStore>('store').list(kind),
    }),
  });
}
