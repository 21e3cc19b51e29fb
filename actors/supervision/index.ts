/**
 * Supervision: Erlang/OTP-style supervisors declared as data (strategies, restart types, intensity,
 * jittered backoff, escalation) and the adapter that runs a nested supervisor as a child (an XState
 * machine runs as one through actors/machine-run.ts). Everything else in the daemon is started under a tree of these.
 *
 * May import only protocol/ (for the telemetry events), xstate and winston.
 */
export type * from './types.js';
export { Supervisor } from './supervisor.js';
export { EscalationError, ChildStartError } from './errors.js';
export { supervisorChild } from './supervisor-child.js';
