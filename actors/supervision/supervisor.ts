/**
 * The supervisor: its lifecycle (start in order, stop in reverse, kill) and what it does when a child
 * ends (restart by strategy, intensity, backoff, escalation). Its children's slots and how one child is
 * started or stopped live in `supervised-children.ts`; the restart decisions in `restart-policy.ts`.
 */
import type { Logger } from 'winston';
import type { Failure, Incarnation, Slot } from './child-slot.js';
import { ChildStartError, EscalationError, toError } from './errors.js';
import { planRestart, RestartPolicy } from './restart-policy.js';
import { sleep as timerSleep } from './sleep.js';
import { SupervisedChildren } from './supervised-children.js';
import { Telemetry } from './telemetry.js';
import type { Exit, StopReason, SupervisorDeps, SupervisorSpec } from './types.js';

/**
 * Erlang/OTP-style supervisor over ordered {@link ChildSpec}s: ordered start, reverse stop with
 * shutdown timeouts, restart strategies and types, restart intensity with escalation, and jittered
 * exponential backoff between restarts.
 *
 * Crash handling is serialized on one queue (the initial start is its first task), so a strategy
 * restart never interleaves with another one.
 *
 * @example
 * ```ts
 * const root = new Supervisor(rootSpec, { logger, report: publish });
 * await root.start();
 * const exit = await root.exited; // { kind: 'crash', error: EscalationError } if it gave up
 * ```
 */
export class Supervisor {
  readonly id: string;
  /** Settles once: `normal` after stop()/kill(), `crash` when the supervisor gives up or fails to start. */
  readonly exited: Promise<Exit>;

  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly children: SupervisedChildren;
  private readonly policy: RestartPolicy;
  private readonly telemetry: Telemetry;
  /** Aborted once the supervisor winds down: wakes a backoff sleep so nothing starts afterwards. */
  private readonly halt = new AbortController();
  private queue: Promise<void> = Promise.resolve();
  private startCalled = false;
  private stopping: Promise<void> | undefined;
  private settleExited: (exit: Exit) => void = () => undefined;

  constructor(
    private readonly spec: SupervisorSpec,
    private readonly deps: SupervisorDeps,
  ) {
    this.id = spec.id;
    this.logger = deps.logger.child({ actor: spec.id });
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? timerSleep;
    this.random = deps.random ?? Math.random;
    this.policy = new RestartPolicy(spec, this.random);
    this.telemetry = new Telemetry(spec.id, deps.report, this.now, this.logger);
    this.children = new SupervisedChildren(spec.id, spec, {
      logger: this.logger,
      childLoggerRoot: deps.logger,
      now: this.now,
      sleep: this.sleep,
      telemetry: this.telemetry,
      onExit: (slot, incarnation, exit) => this.onExit(slot, incarnation, exit),
    });
    this.exited = new Promise((resolve) => {
      this.settleExited = resolve;
    });
    deps.registry?.set(spec.id, this);
  }

  /**
   * Starts the children in order, each after the previous one is ready. If one fails, those already
   * started are stopped in reverse order and this rejects with a {@link ChildStartError}; like Erlang,
   * an initial start failure is not retried.
   */
  start(): Promise<void> {
    if (this.startCalled) return Promise.reject(new Error(`supervisor ${this.id} was already started`));
    this.startCalled = true;
    const run = this.queue.then(() => this.startAll());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Stops the children in reverse order, each within its `shutdownMs`, passing `reason` down the whole
   * subtree; idempotent (the first call's reason wins).
   */
  stop(reason: StopReason = 'shutdown'): Promise<void> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  /** Synchronous teardown of the whole subtree, for a parent whose graceful stop of it timed out. */
  kill(): void {
    this.halt.abort();
    this.children.killAll();
    this.settleExited({ kind: 'normal' });
  }

  /**
   * Makes a running child crash as if it had failed by itself: it is killed (which, like any restart,
   * leaves what it manages running) and handled as a crash by the strategy. For fault-injection tests.
   */
  injectCrash(childId: string, error: Error): void {
    const slot = this.children.slotOf(childId);
    const incarnation = slot.current;
    if (!incarnation || incarnation.stopping) throw new Error(`${this.id}/${childId} is not running`);
    this.children.killQuietly(childId, incarnation.running);
    this.onExit(slot, incarnation, { kind: 'crash', error });
  }

  /** The `value` of a running child; throws if there is no such child or it is not running now. */
  lookup<V>(childId: string): V {
    return this.children.valueOf<V>(this.children.slotOf(childId));
  }

  private get halted(): boolean {
    return this.halt.signal.aborted;
  }

  private async startAll(): Promise<void> {
    this.logger.info(`Starting ${this.id}…`);
    for (const slot of this.children.slots) {
      if (this.halted) throw new Error(`failed to start ${this.id}: stopped while starting`);
      try {
        await this.children.start(slot);
      } catch (err) {
        const error = toError(err);
        const failure = new ChildStartError(this.id, slot.spec.id, error);
        if (this.halted) throw failure;
        this.reportCrash(slot, error, 'failed to start');
        this.halt.abort();
        // A failed start is not a user's stop: what the started children manage stays for the next try.
        await this.children.stopAll('restart');
        this.settleExited({ kind: 'crash', error: failure });
        throw failure;
      }
    }
    this.logger.info(`Started ${this.id}`);
  }

  private async shutdown(reason: StopReason): Promise<void> {
    this.halt.abort();
    this.logger.info(`Stopping ${this.id}…`);
    // Let an in-flight start or restart finish first: it bails out at its next step, and whatever it
    // started is then stopped below in reverse order like everything else.
    await this.queue;
    await this.children.stopAll(reason);
    this.settleExited({ kind: 'normal' });
    this.logger.info(`Stopped ${this.id}`);
  }

  private onExit(slot: Slot, incarnation: Incarnation, exit: Exit): void {
    if (slot.current !== incarnation || incarnation.stopping) return;
    slot.current = undefined;
    const ranMs = this.now() - incarnation.startedAt;
    const { id, restart } = slot.spec;
    if (exit.kind === 'crash') {
      this.reportCrash(slot, exit.error, 'crashed');
    } else {
      this.telemetry.emit(id, { type: 'stopped', reason: 'normal' });
      this.logger.info(`${id} exited normally`);
    }
    if (this.halted) return;
    if (restart === 'temporary' || (restart === 'transient' && exit.kind === 'normal')) {
      slot.removed = true;
      return;
    }
    const error = exit.kind === 'crash' ? exit.error : new Error('exited normally');
    this.enqueue({ slot, generation: incarnation.generation, error, ranMs });
  }

  private enqueue(failure: Failure): void {
    this.queue = this.queue
      .then(() => this.recover(failure))
      .catch((err: unknown) => this.giveUpUnexpectedly(toError(err)));
  }

  private async recover(first: Failure): Promise<void> {
    // A crash of a run that a strategy restart has already replaced needs no handling of its own.
    if (this.halted || first.slot.generation !== first.generation || first.slot.removed) return;
    const next = await this.restart(first);
    // A failed restart goes to the back of the queue (Erlang's try_again_restart): a crash that was
    // already waiting — typically of the sibling this child depends on — is handled first, and its
    // strategy restart usually makes this retry moot.
    if (next && !this.halted) this.enqueue(next);
  }

  /** Applies intensity, backoff and the strategy; returns the next failure if a restart attempt failed. */
  private async restart(failure: Failure): Promise<Failure | undefined> {
    const { slot } = failure;
    const decision = this.policy.onCrash(this.now(), slot.consecutiveCrashes, failure.ranMs);
    if (decision.escalate) {
      await this.escalate(failure, decision.restarts);
      return undefined;
    }
    slot.consecutiveCrashes = decision.consecutive;
    const { delayMs } = decision;

    const { stop, start } = planRestart(this.spec.strategy, this.children.slots, slot);
    for (const sibling of [...stop].reverse()) await this.children.stop(sibling, 'restart');
    for (const member of start) member.restarts += 1;

    this.telemetry.emit(slot.spec.id, { type: 'restarting', delayMs, restarts: slot.restarts });
    this.logger.info(`Restarting ${slot.spec.id} in ${Math.round(delayMs)} ms`);
    await this.sleep(delayMs, this.halt.signal);

    for (const member of start) {
      if (this.halted) return undefined;
      if (member.removed) continue;
      try {
        await this.children.start(member);
      } catch (err) {
        if (this.halted) return undefined;
        const error = toError(err);
        this.reportCrash(member, error, 'failed to restart');
        return { slot: member, generation: member.generation, error, ranMs: 0 };
      }
    }
    return undefined;
  }

  private async escalate(failure: Failure, restarts: number): Promise<void> {
    const { periodMs } = this.spec;
    const error = new EscalationError(this.id, restarts, periodMs, failure.slot.spec.id, failure.error);
    this.logger.error(error.message);
    this.halt.abort();
    // Our parent restarts us (or the daemon exits for the next one to adopt): a restart, not a stop.
    await this.children.stopAll('restart');
    const { name, message } = failure.error;
    this.telemetry.emit(this.id, { type: 'escalated', restarts, periodMs, error: { name, message } });
    this.settleExited({ kind: 'crash', error });
  }

  /** A bug in supervision itself must still end in a clean, reported crash rather than a hang. */
  private async giveUpUnexpectedly(error: Error): Promise<void> {
    this.logger.error(`${this.id} failed while supervising: ${error.message}`);
    this.halt.abort();
    try {
      await this.children.stopAll('restart');
    } catch (err) {
      this.logger.error(`Stopping the children of ${this.id} failed: ${toError(err).message}`);
    }
    this.settleExited({ kind: 'crash', error });
  }

  private reportCrash(slot: Slot, error: Error, what: string): void {
    this.telemetry.crashed(slot.spec.id, error);
    this.logger.warn(`${slot.spec.id} ${what}: ${error.message}`);
  }
}
