import { Supervisor } from './supervisor.js';
import type { ChildSpec, RestartType, SupervisorDeps, SupervisorSpec } from './types.js';

/** Below this, a subtree with quick children would still be cut short while it stops in order. */
const MIN_SUBTREE_SHUTDOWN_MS = 30_000;

/**
 * A supervisor as a child of another: its escalation is a crash the parent handles with its own
 * strategy, and stopping it stops its whole subtree gracefully. Each start builds a fresh
 * {@link Supervisor}, so a restart begins with clean counters and fresh children.
 *
 * `shutdownMs` defaults to the sum of the children's (they stop one after another), but at least 30 s.
 */
export function supervisorChild(
  spec: SupervisorSpec,
  deps: SupervisorDeps,
  restart: RestartType = 'permanent',
  shutdownMs?: number,
): ChildSpec<Supervisor> {
  const childrenMs = spec.children.reduce((sum, child) => sum + child.shutdownMs, 0);
  return {
    id: spec.id,
    restart,
    shutdownMs: shutdownMs ?? Math.max(MIN_SUBTREE_SHUTDOWN_MS, childrenMs),
    async start() {
      const supervisor = new Supervisor(spec, deps);
      await supervisor.start();
      return {
        value: supervisor,
        exited: supervisor.exited,
        stop: (reason) => supervisor.stop(reason),
        kill: () => supervisor.kill(),
      };
    },
  };
}
