/**
 * Which mirror actors an engine event concerns: pure, so the routing table is tested alone. Reads the
 * current event fields (`Type`, `Action`, `Actor.ID`, `Actor.Attributes`), never the legacy `status`,
 * `id` and `from`. Every route names one actor, so an event costs O(1) however many mirrors exist.
 */
import type { EngineEvent } from '../engine/engine-events.js';
import type { ObjectKind } from './mirror-actor.js';

export interface Route {
  kind: ObjectKind;
  /** Container ID, image ID or reference, volume name, network ID. */
  key: string;
  /** The event's action as the container machine reads it (`die`, `health_status`, …). */
  cause: string;
  /** Whether an actor is started for an object rdd does not know yet (not for a removal). */
  spawn: boolean;
  /** The key is an image reference (`busybox:latest`, as a pull names it), not an ID. */
  reference?: boolean;
}

/** Container actions that change nothing a mirror shows: exec, attach, logs, copy, resize, top. */
const quietContainerActions = new Set([
  'attach',
  'detach',
  'exec_create',
  'exec_start',
  'exec_die',
  'exec_detach',
  'resize',
  'top',
  'export',
  'archive-path',
  'extract-to-dir',
  'copy',
  'commit',
]);
const containerRemovals = new Set(['destroy']);
const imageActions = new Set(['pull', 'import', 'load', 'tag', 'untag', 'delete']);
const volumeActions = new Set(['create', 'destroy']);
const networkActions = new Set(['create', 'destroy', 'connect', 'disconnect', 'remove']);

/** `health_status: healthy` → `health_status`; `exec_start: sh -c …` → `exec_start`. */
export function baseAction(action: string): string {
  const colon = action.indexOf(':');
  return (colon < 0 ? action : action.slice(0, colon)).trim();
}

export function routesOf(event: EngineEvent): Route[] {
  const id = event.Actor?.ID ?? '';
  const action = baseAction(event.Action ?? '');
  if (!id || !action) return [];
  switch (event.Type) {
    case 'container':
      if (quietContainerActions.has(action)) return [];
      return [{ kind: 'Container', key: id, cause: action, spawn: !containerRemovals.has(action) }];
    case 'image':
      if (!imageActions.has(action)) return [];
      // A pull names the reference it pulled; every other image event names the image ID.
      return [
        {
          kind: 'Image',
          key: id,
          cause: action,
          spawn: action !== 'delete' && action !== 'untag',
          ...(id.startsWith('sha256:') ? {} : { reference: true }),
        },
      ];
    case 'volume':
      return volumeActions.has(action) ? [{ kind: 'Volume', key: id, cause: action, spawn: action !== 'destroy' }] : [];
    case 'network': {
      if (!networkActions.has(action)) return [];
      const routes: Route[] = [
        { kind: 'Network', key: id, cause: action, spawn: action === 'create' || action === 'connect' },
      ];
      // The attached container's mirror lists its networks: it changed too.
      const container = event.Actor?.Attributes?.container;
      if ((action === 'connect' || action === 'disconnect') && container) {
        routes.push({ kind: 'Container', key: container, cause: `network_${action}`, spawn: false });
      }
      return routes;
    }
    default:
      return [];
  }
}
