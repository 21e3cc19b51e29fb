/**
 * The App subtree, declared as data: the App actor, then the VM and engine-connection actors it
 * drives over the bus. one_for_one: each restarts alone and, on restart, says hello to get the
 * current generation again. The VM actor adopts the engine it finds running.
 *
 * It is also where the daemon starts counting invalid stored values: every reader of the store below
 * (the App actor, the mirror actors, the API's reads) shares the store's one reporter.
 */
import { ApiError, describeError } from '../../protocol/errors.js';
import type { InstancePaths } from '../../protocol/instance.js';
import { childKey, childRegistry } from '../api/child-registry.js';
import { rejections } from '../bus/rejections.js';
import { rootChildren } from '../daemon/root-children.js';
import { defaultResyncMs, engineActorChild, type EngineActorApi } from '../engine/engine.actor.js';
import { supervisorChild } from '../supervision/supervisor-child.js';
import type { ChildSpec, SupervisorDeps } from '../supervision/types.js';
import { vmActorChild } from '../vm/vm.actor.js';
import { appActorChild, type AppActorApi } from './app.actor.js';
import type { AppSubtreeApi, EngineCounts } from './app-subtree-api.js';

const appChildren = {
  app: childKey<AppActorApi>('app'),
  engine: childKey<EngineActorApi>('engine'),
} as const;

export interface AppSubtreeOptions {
  instance: string;
  paths: InstancePaths;
  env: NodeJS.ProcessEnv;
  deps: SupervisorDeps;
}

/** `RDD_ENGINE_RESYNC_SECONDS`: how often to resync a connected engine (0 = never); 300 by default. */
export function resyncMsFrom(env: NodeJS.ProcessEnv): number {
  const text = env.RDD_ENGINE_RESYNC_SECONDS;
  if (text === undefined || text === '') return defaultResyncMs;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(
      `RDD_ENGINE_RESYNC_SECONDS must be a number of seconds ≥ 0 (0 turns the resync off), not "${text}"`,
    );
  }
  return seconds * 1000;
}

export function appSubtree({ instance, paths, env, deps }: AppSubtreeOptions): ChildSpec<AppSubtreeApi> {
  return {
    id: 'app',
    restart: 'permanent',
    shutdownMs: 90_000,
    start: async (context) => {
      const siblings = childRegistry(context.lookup);
      const { nc } = siblings.get(rootChildren.bus);
      const store = siblings.get(rootChildren.store);
      const { attach } = siblings.get(rootChildren.inspection);
      rejections.useLogger(context.logger.child({ actor: 'rejections' }));
      store.onInvalidValue((invalid) => {
        const kind = invalid.key.slice(0, invalid.key.indexOf('.'));
        rejections.recordValue(
          `store.${kind}`,
          `${invalid.key}@${invalid.revision}`,
          `the stored ${invalid.key} (revision ${invalid.revision})`,
          invalid.issue,
        );
      });
      const subtree = supervisorChild(
        {
          id: 'app',
          strategy: 'one_for_one',
          intensity: 10,
          periodMs: 60_000,
          backoff: { initialMs: 200, maxMs: 10_000, jitter: 0.2, resetAfterMs: 30_000 },
          children: [
            appActorChild({ instance, env, nc, store, attachInspection: attach }),
            vmActorChild({ instance, paths, env, nc, attachInspection: attach }),
            engineActorChild({
              instance,
              nc,
              store,
              report: deps.report,
              resyncMs: resyncMsFrom(env),
              attachInspection: attach,
            }),
          ],
        },
        deps,
      );
      const running = await subtree.start(context);
      const children = childRegistry((id) => running.value.lookup(id));
      // Look the App actor up on every call: the subtree may have restarted it since, and a captured
      // reference would keep talking to a stopped actor. The same holds for the engine actor's mirrors,
      // its log server (one per engine connection) and its counts.
      const current = (): AppActorApi => {
        try {
          return children.get(appChildren.app);
        } catch (error) {
          throw new ApiError('Unavailable', `the App actor is restarting; try again (${describeError(error)})`);
        }
      };
      const value: AppSubtreeApi = {
        get: () => current().get(),
        set: (request) => current().set(request),
        mirrors: () => children.get(appChildren.engine).mirrors,
        logs: () => children.get(appChildren.engine).logs(),
        engineCounts: (): EngineCounts => {
          try {
            const { openLogStreams, eventRoutingFailures } = children.get(appChildren.engine);
            return { openLogStreams, eventRoutingFailures };
          } catch {
            return { openLogStreams: 0, eventRoutingFailures: 0 };
          }
        },
      };
      return { ...running, value };
    },
  };
}
