/**
 * The actor of one engine container: owns its Container mirror and runs `machines/container.machine.ts`
 * for it. Engine events become OBSERVED (one per event, all with the state one inspect found), a user's
 * `spec.state` becomes DESIRED, a one-shot action becomes ACTION; what the machine reports (Converged,
 * lastAction, a released desired state) is written with the inspect into the one mirror.
 */
import type { Condition } from '../../protocol/condition.schema.js';
import { ApiError } from '../../protocol/errors.js';
import {
  refusalSummary,
  type DeleteReply,
  type MirrorCommand,
  type MirrorVerb,
} from '../../protocol/mirrors/commands.schema.js';
import {
  containerActionAnnotation,
  containerKind,
  type Container,
  type ContainerDesiredState,
  type ContainerState,
  type LastAction,
} from '../../protocol/mirrors/container.schema.js';
import type { ConvergedCondition } from '../../machines/container-context.js';
import { containerMirror, stateOf, withOwnerFields } from './build-container.js';
import { containerConditionsFor } from './container-conditions.js';
import { createContainerMachine, type ContainerMachineActor, type ContainerMachineOwner } from './container-logic.js';
import { markedMetadata, refusalOf } from './deletion.js';
import { DeletionLifecycle } from './deletion-lifecycle.js';
import { forgetDesiredState, type DesiredSeed } from './kept-desired-states.js';
import { ContainerActions, interruptedIfRunning } from './container-actions.js';
import { Mailbox } from './mailbox.js';
import {
  describeFailure,
  guarded,
  nothingObserved,
  type MirrorActor,
  type MirrorActorContext,
  type Observed,
} from './mirror-actor.js';
import { writeMirror } from './mirror-writer.js';

/** What one one-shot action asks for, without how the caller waits. */
type OneShotCommand = Omit<MirrorCommand<'action'>, 'wait'>;

export class ContainerActor implements MirrorActor {
  readonly kind = 'Container' as const;
  private readonly mailbox = new Mailbox();
  private stored: Container | null;
  /** The mirror as the last inspect showed the container, until it is written (then `stored` has it). */
  private view: Container | null = null;
  /** Whether this actor has looked at the engine yet (a restarted one starts from the store). */
  private inspected = false;
  private machine: ContainerMachineActor | null = null;
  private converged: ConvergedCondition | null = null;
  private lastAction: LastAction | undefined;
  private readonly deletions = new DeletionLifecycle({
    isStopped: () => this.mailbox.isClosed,
    retry: () => {
      this.mailbox.run(() => this.guard('delete', () => this.attemptDelete())).catch(() => undefined);
    },
    remove: () => this.context.engine().removeContainer(this.key),
    // Always removed with force: nothing --force could add, and no other container holds this one.
    refusal: (_, __, error) => {
      const name = this.stored?.status.name;
      return Promise.resolve(refusalOf(`container ${name ?? this.key.slice(0, 12)}`, error, [], false));
    },
    show: () => this.flush(),
    pending: (pending) => this.context.deleting?.(this, pending),
  });
  private flushQueued = false;
  private lastRequestMs = 0;
  private detachInspection: (() => void) | undefined;
  private readonly actions = new ContainerActions();
  /** The machine's engine calls in flight: they run outside the mailbox, and report into it when done. */
  private readonly engineCalls = new Set<Promise<void>>();

  /** A desired state kept while this container had no mirror; dropped once the mirror holds it. */
  private seed: DesiredSeed | null;

  constructor(
    readonly key: string,
    stored: Container | null,
    private readonly context: MirrorActorContext,
    seed?: DesiredSeed,
  ) {
    this.stored = stored;
    this.seed = stored ? null : (seed ?? null);
    this.lastAction = interruptedIfRunning(stored?.status.lastAction);
    if (stored) this.deletions.resume(key, stored.metadata);
  }

  ownedNames(): string[] {
    return this.stored ? [this.key] : [];
  }

  observe(cause?: string): Promise<Observed> {
    return this.mailbox.observe(cause, (causes) => this.guard('inspect', () => this.inspectAndWrite(causes)));
  }

  command<V extends MirrorVerb>(verb: V, body: MirrorCommand<V>): Promise<unknown> {
    if (verb === 'delete') return this.mailbox.run(() => this.guard('delete', () => this.startDelete()));
    if (verb === 'state') {
      const { state, dryRun } = body as MirrorCommand<'state'>;
      if (dryRun) return this.mailbox.run(() => this.guard('check a desired state', () => this.wouldSetDesired(state)));
      return this.mailbox.run(() => this.guard('set the desired state', () => this.setDesired(state)));
    }
    const { wait, ...request } = body as MirrorCommand<'action'>;
    return this.runAction(request, wait);
  }

  private async runAction(request: OneShotCommand, wait: boolean) {
    const { outcome } = await this.mailbox.run(() => this.guard('run an action', () => this.queueAction(request)));
    // Waited for outside the mailbox: the machine's report is written by a later task.
    if (!wait) {
      outcome.catch(() => undefined);
      return { queued: true };
    }
    return { queued: false, lastAction: await outcome };
  }

  get isIdle(): boolean {
    return this.mailbox.isIdle && this.engineCalls.size === 0;
  }

  async idle(): Promise<void> {
    while (!this.isIdle) {
      await this.mailbox.idle();
      await Promise.allSettled([...this.engineCalls]);
    }
  }

  stop(): Promise<void> {
    this.actions.abandon(this.key);
    this.deletions.stop();
    this.detachInspection?.();
    this.machine?.stop();
    this.machine = null;
    return this.mailbox.close();
  }

  private guard<T>(what: string, task: () => Promise<T>): Promise<T> {
    return guarded(this, this.context, what, task);
  }

  private async inspectAndWrite(causes: string[]): Promise<Observed> {
    const inspect = await this.context.engine().inspectContainer(this.key);
    if (!inspect) return this.gone();
    const observedAt = new Date().toISOString();
    this.view = containerMirror(inspect, { namespace: this.context.namespace, observedAt });
    this.inspected = true;
    const actual = stateOf(inspect.State.Status);
    if (!this.machine) {
      // Observing only needs no machine (most containers): one starts once there is something to do.
      const { desired, generation } = this.intent();
      if (desired !== 'unknown') this.machine = this.startMachine(desired, generation, actual);
    } else if (causes.length === 0) {
      this.machine.send({ type: 'OBSERVED', actual });
    } else {
      for (const action of causes) this.machine.send({ type: 'OBSERVED', actual, cause: { action, byRdd: false } });
    }
    const observed = await this.flush();
    this.deletions.resumePending(() => true);
    return observed;
  }

  /**
   * The desired state and its generation. The machine owns them once it runs; until then (a container
   * only observed) they are what it would start from: the stored mirror's, or the state kept for it.
   */
  private intent(): { desired: ContainerDesiredState; generation: number } {
    if (this.machine) {
      const { desired, generation } = this.machine.getSnapshot().context;
      return { desired, generation };
    }
    return {
      desired: this.stored?.spec.state ?? this.seed?.state ?? 'unknown',
      generation: this.stored?.metadata.generation ?? this.seed?.generation ?? 1,
    };
  }

  private startMachine(
    desired: ContainerDesiredState,
    generation: number,
    actual: ContainerState,
  ): ContainerMachineActor {
    const input = { id: this.key, desired, generation, actual };
    const machine = createContainerMachine(input, this.onMachine);
    this.detachInspection = this.context.attachInspection?.(`container:${this.key.slice(0, 12)}`, machine);
    machine.subscribe({ error: (error) => this.context.crash(this, describeFailure('container machine', error)) });
    machine.start();
    return machine;
  }

  /** The machine's actions, reached through `container-logic.ts`. */
  readonly onMachine: ContainerMachineOwner = {
    runEngineAction: ({ id, action, stopTimeSeconds }) => {
      const call = this.context.engine().containerAction(id, action, stopTimeSeconds);
      this.engineCalls.add(call);
      const done = (): void => void this.engineCalls.delete(call);
      call.then(done, done);
      return call;
    },
    reportState: (report) => {
      this.converged = report.condition;
      this.scheduleFlush();
    },
    reportLastAction: (lastAction) => {
      this.lastAction = lastAction;
      this.actions.finish(lastAction);
      this.scheduleFlush();
    },
    releaseDesired: (release) => {
      // The machine has already given the desired state back: the write shows its new generation.
      this.context.logger.info(`container ${this.key.slice(0, 12)}: ${release.message}`);
      this.scheduleFlush();
    },
  };

  /** Machine reports arrive outside the mailbox (timers, finished calls): write them in turn. */
  private scheduleFlush(): void {
    if (this.flushQueued || this.mailbox.isClosed) return;
    this.flushQueued = true;
    this.mailbox
      .run(() => this.guard('write the mirror', () => this.flush()))
      .catch(() => undefined /* guard already asked for a restart */);
  }

  private async flush(): Promise<Observed> {
    this.flushQueued = false;
    // The engine's part: the fresh inspect's view, else what was last written from one.
    const base = this.view ?? (this.inspected ? this.stored : null);
    if (!base) return nothingObserved;
    const { desired, generation } = this.intent();
    const built = withOwnerFields(base, {
      spec: { state: desired },
      conditions: this.conditions(new Date().toISOString()),
      ...(this.lastAction ? { lastAction: this.lastAction } : {}),
    });
    const { annotations: _shown, ...metadata } = markedMetadata(built.metadata, this.deletions.of(this.key));
    const running = this.actions.latestRunning();
    const next: Container = {
      ...built,
      metadata: {
        ...metadata,
        generation,
        // The engine has no annotations: the only one is the action in progress (gone means done).
        ...(running === undefined ? {} : { annotations: { [containerActionAnnotation]: running } }),
      },
    };
    // The outcomes this write shows; any finishing meanwhile wait for the next write.
    const shown = this.actions.takeShown();
    const { mirror, outcome } = await writeMirror(this.context.store, this.stored, next, this.context.logger);
    if (!this.stored) this.context.owns(this, [this.key]);
    this.stored = mirror;
    if (this.seed) {
      this.seed = null;
      await forgetDesiredState(this.context.store, this.key);
    }
    // The written mirror holds the same engine view: one copy per container is enough.
    this.view = null;
    this.actions.answer(shown);
    if (outcome === 'unchanged') return nothingObserved;
    return {
      ...nothingObserved,
      [outcome]: 1,
      changed: [`${containerKind}/${this.key}`],
    };
  }

  private conditions(now: string): Condition[] {
    return containerConditionsFor({
      id: this.key,
      status: this.currentStatus(),
      generation: this.intent().generation,
      machineRuns: this.machine !== null,
      converged: this.converged,
      deletion: this.deletions.of(this.key),
      stored: this.stored?.status.conditions ?? [],
      now,
    });
  }

  private currentStatus(): ContainerState {
    return (this.view ?? this.stored)?.status.status ?? 'unknown';
  }

  private async setDesired(state: ContainerDesiredState): Promise<Container> {
    await this.ensureObserved();
    if (this.machine) this.machine.send({ type: 'DESIRED', desired: state });
    else if (this.inspected && state !== this.intent().desired) {
      // Only observed so far, so the desired state was unknown: this is a change, and a new generation.
      this.machine = this.startMachine(state, this.intent().generation + 1, this.currentStatus());
    }
    await this.flush();
    if (!this.stored) throw new ApiError('NotFound', `container ${this.key} not found`);
    return this.stored;
  }

  /** The mirror as setDesired would leave it, with nothing changed, stored or started. */
  private async wouldSetDesired(state: ContainerDesiredState): Promise<Container> {
    await this.ensureObserved();
    if (!this.stored) throw new ApiError('NotFound', `container ${this.key} not found`);
    return { ...this.stored, spec: { ...this.stored.spec, state } };
  }

  private async queueAction({ action, stopTimeSeconds }: OneShotCommand): Promise<{ outcome: Promise<LastAction> }> {
    if (stopTimeSeconds !== undefined && action !== 'stop' && action !== 'restart') {
      throw new ApiError('Invalid', `a stop grace period applies to stop and restart only, not to ${action}`);
    }
    await this.ensureObserved();
    if (!this.inspected) throw new ApiError('NotFound', `container ${this.key} not found`);
    if (!this.machine) {
      const { desired, generation } = this.intent();
      this.machine = this.startMachine(desired, generation, this.currentStatus());
    }
    const requestedAt = this.nextRequestTime();
    const { shown, outcome } = this.actions.accept(action, requestedAt);
    this.lastAction = shown;
    this.machine.send({
      type: 'ACTION',
      action,
      requestedAt,
      ...(stopTimeSeconds === undefined ? {} : { stopTimeSeconds }),
    });
    // Visible before anything else happens: a watcher sees the action start, then end.
    if (this.actions.isRunning(requestedAt)) await this.flush();
    return { outcome };
  }

  /** Request times name the requests: two in the same millisecond still get distinct ones. */
  private nextRequestTime(): string {
    const now = Math.max(Date.now(), this.lastRequestMs + 1);
    this.lastRequestMs = now;
    return new Date(now).toISOString();
  }

  /** A command may arrive before the first inspect (right after a restart): look first. */
  private async ensureObserved(): Promise<void> {
    if (this.inspected) return;
    await this.inspectAndWrite([]);
  }

  private async startDelete(): Promise<DeleteReply> {
    if (!this.deletions.of(this.key)) {
      this.deletions.request(this.key, true);
      if (this.inspected) await this.flush();
    }
    return this.attemptDelete();
  }

  private async attemptDelete(): Promise<DeleteReply> {
    const attempt = await this.deletions.attempt(this.key);
    if (!attempt) return { deleted: false, message: 'no delete requested' };
    if (!attempt.removed) return { deleted: false, message: refusalSummary(attempt.refusal), refused: attempt.refusal };
    await this.gone();
    return { deleted: true, message: `container ${this.key} deleted` };
  }

  /** Something that may have released the container happened (another went away): retry its delete now. */
  retryDeletes(): void {
    this.deletions.retryAll();
  }

  /** The engine has no such container: remove the mirror and exit normally. */
  private async gone(): Promise<Observed> {
    const had = this.stored !== null;
    if (had) await this.context.store.delete(containerKind, this.key);
    this.stored = null;
    this.context.exit(this);
    return had ? { ...nothingObserved, removed: 1, changed: [`${containerKind}/${this.key}`] } : nothingObserved;
  }
}
