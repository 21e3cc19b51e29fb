/**
 * Supervision: Erlang/OTP-style supervisors declared as data (strategies, restart types, intensity,
 * jittered backoff, escalation) and adapters that run XState actors and nested supervisors as their
 * children. Everything else in the daemon is started under a tree of these.
 *
 * May import only protocol/ (for the telemetry events), xstate and winston.
 */
export type * from './types.js';
export { Supervisor } from './supervisor.js';
export { EscalationError, ChildStartError } from './errors.js';
export { supervisorChild } from './supervisor-child.js';
export { actorChild } from './actor-child.js';
export type { ActorChildOptions, SupervisorShutdownEvent } from './actor-child.js';
