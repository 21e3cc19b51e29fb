/**
 * The part of the resource store the mirror actors use: the seam where unit tests put an in-memory
 * store with the same compare-and-swap rules, while the daemon and e2e tests use JetStream KV.
 */
import type { ResourceStore } from '../../protocol/store.js';

export type MirrorStore = Pick<ResourceStore, 'get' | 'list' | 'create' | 'update' | 'delete'>;
