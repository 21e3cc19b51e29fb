/**
 * Inspection as a supervised child of the root, after the bus: its value is the {@link Inspection}
 * the actors attach to and `svc status` reads. It owns the lease: a restart (the bus's, or its own)
 * carries over what is left of the lease the last incarnation held, so an inspector's lease outlives
 * the bus and the actors restarted with it are inspected at once, not from the inspector's next renewal.
 * While leased it also follows the containers' observed states through the store (container-states.ts).
 */
import { describeError } from '../../protocol/errors.js';
import { childRegistry } from '../api/child-registry.js';
import { rootChildren } from '../daemon/root-children.js';
import type { ChildSpec } from '../supervision/types.js';
import { followContainerStates } from './container-states.js';
import { Inspection } from './inspection.js';

export function inspectionChild(instance: string, now?: () => number): ChildSpec<Inspection> {
  let previous: Inspection | undefined;
  return {
    id: 'inspection',
    restart: 'permanent',
    shutdownMs: 1_000,
    start: ({ lookup, logger }) => {
      const siblings = childRegistry(lookup);
      const { nc } = siblings.get(rootChildren.bus);
      const store = siblings.get(rootChildren.store);
      const inspection = Inspection.start(nc, instance, now);
      inspection.whileLeased(() =>
        followContainerStates(
          store,
          (observed) => inspection.publishObserved(observed),
          (error) => logger.warn(`stopped following the containers' states for inspection: ${describeError(error)}`),
        ),
      );
      inspection.takeLeaseOf(previous);
      previous = inspection;
      return Promise.resolve({
        value: inspection,
        // It has nothing of its own that can fail: it ends only when stopped.
        exited: new Promise(() => {}),
        stop: () => {
          inspection.close();
          return Promise.resolve();
        },
        kill: () => inspection.close(),
      });
    },
  };
}
