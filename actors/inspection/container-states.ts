/**
 * The container actors' observed states for `rdd inspect`: most containers are only observed and run no
 * machine, so XState's inspection never sees them change; what their actor observed is the `status` it
 * writes to the container's mirror. Followed through the store only while a lease is held, and turned
 * into the same transition messages as a machine's, naming the container as docker does:
 * `container:<id12>  running → exited  on observed (web)`.
 */
import type { InspectionEvent } from '../../protocol/inspection.schema.js';
import { containerKind } from '../../protocol/mirrors/container.schema.js';
import type { ResourceStore } from '../../client/store.js';

/** The actor id every container's inspection uses (as the container actor attaches its machine). */
export function containerActorId(name: string): string {
  return `container:${name.slice(0, 12)}`;
}

export type Observed = Pick<InspectionEvent, 'actor' | 'type' | 'event' | 'from' | 'to'>;

/**
 * Follows every container's observed state until the returned stop is called: a change from a state
 * seen before (the initial values included) is passed to `publish`, and so is a container going away.
 */
export function followContainerStates(
  store: ResourceStore,
  publish: (message: Observed) => void,
  onError: (error: unknown) => void,
): () => void {
  const aborter = new AbortController();
  const states = new Map<string, string>();
  void (async () => {
    const changes = store.watch({ kind: containerKind }, aborter.signal);
    for await (const change of changes) {
      const { name } = change.object.metadata;
      const actor = containerActorId(name);
      const status = (change.object as { status?: { status?: unknown; name?: unknown } }).status;
      const to = status?.status;
      const event = typeof status?.name === 'string' && status.name ? `observed (${status.name})` : 'observed';
      const from = states.get(name);
      if (change.type === 'DELETED') {
        states.delete(name);
        if (from) publish({ actor, type: 'stopped', event: 'removed' });
        continue;
      }
      if (typeof to !== 'string') continue;
      states.set(name, to);
      if (from && from !== to) publish({ actor, type: 'transition', event, from, to });
    }
  })().catch((error: unknown) => {
    if (!aborter.signal.aborted) onError(error);
  });
  return () => aborter.abort();
}
