/**
 * machines/ — pure XState v5 state machines, one per file (`<thing>.machine.ts` exporting
 * `<thing>Machine`), and the pure helpers they decide with.
 *
 * A machine references its actors, actions and delays by name; `actors/` provides the implementations
 * with `machine.provide(...)`, and unit tests provide fakes the same way. Files here may import only
 * `xstate` and `../protocol/*` (types and pure helpers): nothing that does I/O (no dockerode, nats,
 * winston, node:*), nothing from `actors/` or `cli/`. The placeholders in `setup` throw, so a missing
 * wiring crashes loudly instead of doing nothing.
 *
 * - `app.machine.ts` — the App actor: desired messages for the VM and engine actors, the App conditions.
 * - `app-settled.ts` — the ordered rules of the App's `Settled` condition.
 * - `vm.machine.ts` — the VM actor: start, stop, restart on death, apply a changed template;
 *   `vm-context.ts` holds its context, events, actor contracts and condition messages.
 * - `engine-connection.machine.ts` — the engine-connection actor: connect, sync the mirrors, stream,
 *   reconnect with backoff, sweep the mirrors when the engine is no longer wanted.
 * - `container.machine.ts` — one container mirror's desired × actual convergence, conflict policy,
 *   crash-loop restarts and one-shot actions; `container-matrix.ts` holds the matrix as data and
 *   `container-context.ts` the machine's contract and wording.
 * - `*-transitions.ts` — the guards and context updates a machine wires by name.
 * - `backoff.ts` — the backoff arithmetic the named delays and messages share.
 * - `catalogue.ts` — every machine by name and its JSON definition (docs/machines, `rdd machines`).
 */
export * from './app-settled.js';
export * from './app.machine.js';
export * from './backoff.js';
export * from './container-context.js';
export * from './container-matrix.js';
export * from './container.machine.js';
export * from './engine-connection.machine.js';
export * from './vm-context.js';
export * from './vm.machine.js';
