/**
 * One supervisor's children as it holds them: their slots, and how one child is started, looked up,
 * stopped within its `shutdownMs`, or killed. What to do when a child ends (restart, escalate) is the
 * supervisor's (`supervisor.ts`); this only reports each exit to it.
 */
import type { Logger } from 'winston';
import { createSlots, stopWithin } from './child-slot.js';
import type { Incarnation, Slot } from './child-slot.js';
import { toError } from './errors.js';
import type { Telemetry } from './telemetry.js';
import type { ChildContext, Exit, Running, StopReason, SupervisorSpec } from './types.js';

export interface SupervisedChildrenDeps {
  /** The supervisor's own logger. */
  readonly logger: Logger;
  /** The logger each child's is derived from. */
  readonly childLoggerRoot: Logger;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly telemetry: Telemetry;
  /** Called once per run that ends, however it ends; a run stopped or killed here is marked `stopping` first. */
  readonly onExit: (slot: Slot, incarnation: Incarnation, exit: Exit) => void;
}

export class SupervisedChildren {
  /** In start order. */
  readonly slots: readonly Slot[];
  /** Aborted by killAll(): cuts short graceful stops that are still waiting for their timeout. */
  private readonly killSwitch = new AbortController();

  constructor(
    private readonly supervisorId: string,
    spec: SupervisorSpec,
    private readonly deps: SupervisedChildrenDeps,
  ) {
    this.slots = createSlots(spec);
  }

  private get killed(): boolean {
    return this.killSwitch.signal.aborted;
  }

  async start(slot: Slot): Promise<void> {
    const { id } = slot.spec;
    const { logger, telemetry } = this.deps;
    logger.info(`Starting ${id}…`);
    const generation = ++slot.generation;
    const running = await slot.spec.start(this.contextFor(slot));
    if (this.killed) {
      // killAll() is synchronous and cannot wait for this start, so nobody else would tear it down.
      this.killQuietly(id, running);
      throw new Error(`${this.supervisorId}/${id} started after the supervisor was killed`);
    }
    const incarnation: Incarnation = { running, generation, startedAt: this.deps.now(), stopping: false };
    slot.current = incarnation;
    void running.exited.then(
      (exit) => this.deps.onExit(slot, incarnation, exit),
      (err: unknown) => this.deps.onExit(slot, incarnation, { kind: 'crash', error: toError(err) }),
    );
    telemetry.emit(id, { type: 'started', restarts: slot.restarts });
    logger.info(`Started ${id}`);
  }

  /** Stops the running child of `slot`; a second call while it stops waits for the same teardown. */
  stop(slot: Slot, reason: StopReason): Promise<void> {
    const incarnation = slot.current;
    if (!incarnation) return Promise.resolve();
    if (!incarnation.teardown) {
      incarnation.stopping = true;
      incarnation.teardown = this.teardown(slot, incarnation, reason);
    }
    return incarnation.teardown;
  }

  /** Stops every child, in reverse start order. */
  async stopAll(reason: StopReason): Promise<void> {
    for (const slot of [...this.slots].reverse()) await this.stop(slot, reason);
  }

  /** Synchronous teardown of every child, in reverse start order; a start still under way is killed as it ends. */
  killAll(): void {
    this.killSwitch.abort();
    for (const slot of [...this.slots].reverse()) {
      const incarnation = slot.current;
      if (!incarnation) continue;
      incarnation.stopping = true;
      slot.current = undefined;
      this.killQuietly(slot.spec.id, incarnation.running);
      this.deps.telemetry.emit(slot.spec.id, { type: 'stopped', reason: 'killed' });
    }
  }

  killQuietly(id: string, running: Running): void {
    try {
      running.kill();
    } catch (err) {
      this.deps.logger.error(`Killing ${id} failed: ${toError(err).message}`);
    }
  }

  slotOf(childId: string): Slot {
    const slot = this.slots.find((candidate) => candidate.spec.id === childId);
    if (!slot) throw new Error(`supervisor ${this.supervisorId} has no child ${childId}`);
    return slot;
  }

  /** The `value` of the running child of `slot`; throws if it is not running now. */
  valueOf<V>(slot: Slot): V {
    const incarnation = slot.current;
    if (!incarnation || incarnation.stopping) throw new Error(`${this.supervisorId}/${slot.spec.id} is not running`);
    return incarnation.running.value as V;
  }

  private contextFor(slot: Slot): ChildContext {
    return {
      logger: this.deps.childLoggerRoot.child({ actor: slot.spec.id, supervisor: this.supervisorId }),
      lookup: <V>(childId: string): V => {
        const target = this.slotOf(childId);
        // Only earlier siblings are guaranteed to be up when this child starts; anything else is a
        // hidden dependency that the start order does not express.
        if (target.index >= slot.index) {
          throw new Error(`${this.supervisorId}/${slot.spec.id} may only look up earlier siblings, not ${childId}`);
        }
        return this.valueOf<V>(target);
      },
    };
  }

  private async teardown(slot: Slot, incarnation: Incarnation, reason: StopReason): Promise<void> {
    const { id, shutdownMs } = slot.spec;
    const { logger, telemetry } = this.deps;
    logger.info(`Stopping ${id}…`);
    // shutdownMs 0 is Erlang's brutal_kill: no graceful stop at all.
    const outcome =
      shutdownMs > 0
        ? await stopWithin(incarnation.running, reason, shutdownMs, this.deps.sleep, this.killSwitch.signal)
        : { graceful: false as const };
    if (slot.current !== incarnation) return; // killAll() got there first and reported it
    slot.current = undefined;
    const { graceful } = outcome;
    if (!outcome.graceful && outcome.error) logger.warn(`Stopping ${id} failed: ${outcome.error.message}`);
    if (!graceful) this.killQuietly(id, incarnation.running);
    telemetry.emit(id, { type: 'stopped', reason: graceful ? reason : 'killed' });
    logger.info(graceful ? `Stopped ${id}` : `Killed ${id}`);
  }
}
