/**
 * The daemon's supervision tree, declared as data. rest_for_one: a bus crash restarts everything after
 * it (they hold the old connection); an App-subtree crash restarts it and the API; an API crash only
 * the API. The API comes last because its handlers call the App actor. Those restarts stop children
 * with the `restart` reason: the VM actor detaches from the engine and its successor adopts it, so no
 * restart inside the daemon ever stops the user's containers (docs/architecture.md, Lifetimes).
 */
import type { InstancePaths } from '../../protocol/instance.js';
import { apiChild, type Handlers } from '../api/api.child.js';
import type { ChildRegistry } from '../api/child-registry.js';
import { appSubtree } from '../app/app.supervisor.js';
import { busChild } from '../bus/bus.child.js';
import { inspectionChild } from '../inspection/inspection.child.js';
import { storeChild } from '../store/store.child.js';
import type { SupervisorDeps, SupervisorSpec } from '../supervision/types.js';
import { faultInjectionChild, faultInjectionEnabled } from './fault-injection.child.js';

export interface RootOptions {
  instance: string;
  paths: InstancePaths;
  env: NodeJS.ProcessEnv;
  /** Builds the API's handlers once the children it calls (bus, store, App subtree) run. */
  handlers: (children: ChildRegistry) => Handlers;
  /** The App subtree reports through the same telemetry as the root. */
  deps: SupervisorDeps;
}

export function rootSupervisorSpec({ instance, paths, env, handlers, deps }: RootOptions): SupervisorSpec {
  return {
    id: 'root',
    strategy: 'rest_for_one',
    intensity: 5,
    periodMs: 60_000,
    backoff: { initialMs: 100, maxMs: 5_000, jitter: 0.2, resetAfterMs: 30_000 },
    children: [
      busChild({ instance, paths, env }),
      storeChild(instance),
      inspectionChild(instance),
      appSubtree({ instance, paths, env, deps }),
      apiChild(instance, handlers),
      ...(faultInjectionEnabled(env) && deps.registry ? [faultInjectionChild(instance, deps.registry)] : []),
    ],
  };
}
