/**
 * The keys of the root supervisor's children that others use, each typed with its child's value
 * (see actors/api/child-registry.ts). The ids are the child specs' ids in root.supervisor.ts.
 */
import type { ResourceStore } from '../../client/store.js';
import { childKey } from '../api/child-registry.js';
import type { AppSubtreeApi } from '../app/app-subtree-api.js';
import type { Bus } from '../bus/bus.child.js';
import type { Inspection } from '../inspection/inspection.js';

export const rootChildren = {
  bus: childKey<Bus>('bus'),
  store: childKey<ResourceStore>('store'),
  inspection: childKey<Inspection>('inspection'),
  app: childKey<AppSubtreeApi>('app'),
} as const;
