/**
 * The daemon's supervision tree, declared as data. rest_for_one: a bus crash restarts the store and the
 * API after it (they hold the old connection); an API crash restarts only the API.
 */
import type { InstancePaths } from '../../protocol/instance.js';
import { apiChild, type Handlers } from '../api/api.child.js';
import { busChild } from '../bus/bus.child.js';
import { storeChild } from '../store/store.child.js';
import type { SupervisorSpec } from '../supervision/types.js';

export interface RootOptions {
  instance: string;
  paths: InstancePaths;
  env: NodeJS.ProcessEnv;
  handlers: (lookup: <V>(id: string) => V) => Handlers;
}

export function rootSupervisorSpec({ instance, paths, env, handlers }: RootOptions): SupervisorSpec {
  return {
    id: 'root',
    strategy: 'rest_for_one',
    intensity: 5,
    periodMs: 60_000,
    backoff: { minMs: 100, maxMs: 5_000, jitter: 0.2, resetAfterMs: 30_000 },
    children: [busChild({ paths, env }), storeChild(instance), apiChild(instance, handlers)],
  };
}
