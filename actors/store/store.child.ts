/**
 * The store: the instance's JetStream KV bucket (file storage), opened over the bus connection. Its
 * value is the typed {@link ResourceStore} that the owning actors write through.
 */
import { ResourceStore } from '../../client/store.js';
import { ensureSupervisionStream } from './supervision-stream.js';
import { childRegistry } from '../api/child-registry.js';
import { rootChildren } from '../daemon/root-children.js';
import type { ChildSpec } from '../supervision/types.js';

export function storeChild(instance: string): ChildSpec<ResourceStore> {
  return {
    id: 'store',
    restart: 'permanent',
    // Nothing to wait for; a bound above 0 lets the supervisor report its stop as the normal one it is.
    shutdownMs: 1_000,
    start: async ({ lookup, logger }) => {
      const { nc } = childRegistry(lookup).get(rootChildren.bus);
      logger.info('Starting store…');
      const store = await ResourceStore.open(nc, instance, { create: true });
      await ensureSupervisionStream(nc, instance);
      logger.info('Started store');
      // The store holds no resources of its own beyond the bus connection, which the bus owns.
      return { value: store, exited: new Promise(() => {}), stop: () => Promise.resolve(), kill: () => {} };
    },
  };
}
