/**
 * What every container actor does with its one mirror, whatever users ask of it: look at the engine
 * (an inspect per observation, coalesced by the mailbox), start the machine once there is something to
 * do, and write the mirror from the last inspect and what the machine reports. Users' commands are the
 * subclass's (`container.actor.ts`). Thousands run at once, so one that only observes holds its mirror,
 * its mailbox and little else: the machine (`container-machine-link.ts`), the one-shot actions and the
 * deletion lifecycle exist once needed.
 */
import type { Condition } from '../../protocol/condition.schema.js';
import type { MirrorCommand, MirrorVerb } from '../../protocol/mirrors/commands.schema.js';
import {
  containerActionAnnotation,
  containerKind,
  type Container,
  type ContainerDesiredState,
  type ContainerState,
  type LastAction,
} from '../../protocol/mirrors/container.schema.js';
import { containerMirror, stateOf, withOwnerFields } from './build-container.js';
import type { ContainerActions } from './container-actions.js';
import { interruptedIfRunning } from './container-actions.js';
import { containerConditionsFor } from './container-conditions.js';
import { ContainerMachineLink, type ContainerMachineReports } from './container-machine-link.js';
import { markedMetadata, type DeletionState } from './deletion.js';
import { DeletionLifecycle, type DeletionHost } from './deletion-lifecycle.js';
import { forgetDesiredState, type DesiredSeed } from './kept-desired-states.js';
import { Mailbox } from './mailbox.js';
import { guarded, nothingObserved, type MirrorActorContext, type Observed } from './mirror-actor.js';
import { writeMirror } from './mirror-writer.js';

export abstract class ContainerMirrorOwner implements ContainerMachineReports {
  readonly kind = 'Container' as const;
  protected readonly mailbox = new Mailbox();
  protected stored: Container | null;
  /** The mirror as the last inspect showed the container, until it is written (then `stored` has it). */
  protected view: Container | null = null;
  /** Whether this actor has looked at the engine yet (a restarted one starts from the store). */
  protected inspected = false;
  /** The machine, once there is something to do. */
  protected link: ContainerMachineLink | null = null;
  protected lastAction: LastAction | undefined;
  /** Once a delete is requested or resumed. */
  protected deletionsInHand: DeletionLifecycle | null = null;
  private flushQueued = false;
  /** Once a one-shot action is accepted. */
  protected actions: ContainerActions | null = null;
  /** A desired state kept while this container had no mirror; dropped once the mirror holds it. */
  private seed: DesiredSeed | null;

  constructor(
    readonly key: string,
    stored: Container | null,
    protected readonly context: MirrorActorContext,
    seed?: DesiredSeed,
  ) {
    this.stored = stored;
    this.seed = stored ? null : (seed ?? null);
    this.lastAction = interruptedIfRunning(stored?.status.lastAction);
    if (stored?.metadata.deletionTimestamp) this.deletions.resume(key, stored.metadata);
  }

  abstract command<V extends MirrorVerb>(verb: V, body: MirrorCommand<V>): Promise<unknown>;

  /** How its deletes reach the engine and the mailbox; asked for once, on the first delete. */
  protected abstract deletionHost(): DeletionHost;

  ownedNames(): string[] {
    return this.stored ? [this.key] : [];
  }

  observe(cause?: string): Promise<Observed> {
    return this.mailbox.observe(cause, (causes) => this.guard('inspect', () => this.inspectAndWrite(causes)));
  }

  get isIdle(): boolean {
    return this.mailbox.isIdle && (this.link?.engineCalls.size ?? 0) === 0;
  }

  async idle(): Promise<void> {
    while (!this.isIdle) {
      await this.mailbox.idle();
      await Promise.allSettled([...(this.link?.engineCalls ?? [])]);
    }
  }

  stop(): Promise<void> {
    this.actions?.abandon(this.key);
    this.deletionsInHand?.stop();
    this.link?.stop();
    this.link = null;
    return this.mailbox.close();
  }

  /** The machine's state or desired state changed (reported outside the mailbox): write it in turn. */
  machineChanged(): void {
    this.scheduleFlush();
  }

  machineFinished(lastAction: LastAction): void {
    this.lastAction = lastAction;
    this.actions?.finish(lastAction);
    this.scheduleFlush();
  }

  /** Something that may have released the container happened (another went away): retry its delete now. */
  retryDeletes(): void {
    this.deletionsInHand?.retryAll();
  }

  protected guard<T>(what: string, task: () => Promise<T>): Promise<T> {
    return guarded(this, this.context, what, task);
  }

  protected async inspectAndWrite(causes: string[]): Promise<Observed> {
    const inspect = await this.context.engine().inspectContainer(this.key);
    if (!inspect) return this.gone();
    const observedAt = new Date().toISOString();
    this.view = containerMirror(inspect, { namespace: this.context.namespace, observedAt });
    this.inspected = true;
    const actual = stateOf(inspect.State.Status);
    const machine = this.link?.machine;
    if (!machine) {
      // Observing only needs no machine (most containers): one starts once there is something to do.
      const { desired, generation } = this.intent();
      if (desired !== 'unknown') this.startMachine(desired, generation, actual);
    } else if (causes.length === 0) {
      machine.send({ type: 'OBSERVED', actual });
    } else {
      for (const action of causes) machine.send({ type: 'OBSERVED', actual, cause: { action, byRdd: false } });
    }
    const observed = await this.flush();
    this.deletionsInHand?.resumePending(() => true);
    return observed;
  }

  /** A command may arrive before the first inspect (right after a restart): look first. */
  protected async ensureObserved(): Promise<void> {
    if (this.inspected) return;
    await this.inspectAndWrite([]);
  }

  /**
   * The desired state and its generation. The machine owns them once it runs; until then (a container
   * only observed) they are what it would start from: the stored mirror's, or the state kept for it.
   */
  protected intent(): { desired: ContainerDesiredState; generation: number } {
    if (this.link) return this.link.intent();
    return {
      desired: this.stored?.spec.state ?? this.seed?.state ?? 'unknown',
      generation: this.stored?.metadata.generation ?? this.seed?.generation ?? 1,
    };
  }

  protected startMachine(
    desired: ContainerDesiredState,
    generation: number,
    actual: ContainerState,
  ): ContainerMachineLink {
    const link = new ContainerMachineLink(this, this.context, { desired, generation, actual });
    this.link = link;
    return link;
  }

  /** Machine reports arrive outside the mailbox (timers, finished calls): write them in turn. */
  private scheduleFlush(): void {
    if (this.flushQueued || this.mailbox.isClosed) return;
    this.flushQueued = true;
    this.mailbox
      .run(() => this.guard('write the mirror', () => this.flush()))
      .catch(() => undefined /* guard already asked for a restart */);
  }

  protected async flush(): Promise<Observed> {
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
    const { annotations: _shown, ...metadata } = markedMetadata(built.metadata, this.deletion());
    const running = this.actions?.latestRunning();
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
    const shown = this.actions?.takeShown() ?? [];
    const { mirror, outcome } = await writeMirror(this.context.store, this.stored, next, this.context.logger);
    if (!this.stored) this.context.owns(this, [this.key]);
    this.stored = mirror;
    if (this.seed) {
      this.seed = null;
      await forgetDesiredState(this.context.store, this.key);
    }
    // The written mirror holds the same engine view: one copy per container is enough.
    this.view = null;
    this.actions?.answer(shown);
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
      machineRuns: this.link !== null,
      converged: this.link?.converged ?? null,
      deletion: this.deletion(),
      stored: this.stored?.status.conditions ?? [],
      now,
    });
  }

  protected currentStatus(): ContainerState {
    return (this.view ?? this.stored)?.status.status ?? 'unknown';
  }

  protected deletion(): DeletionState | null {
    return this.deletionsInHand?.of(this.key) ?? null;
  }

  /** The deletion lifecycle, made on the first delete requested or resumed. */
  protected get deletions(): DeletionLifecycle {
    this.deletionsInHand ??= new DeletionLifecycle(this.deletionHost());
    return this.deletionsInHand;
  }

  /** The engine has no such container: remove the mirror and exit normally. */
  protected async gone(): Promise<Observed> {
    const had = this.stored !== null;
    if (had) await this.context.store.delete(containerKind, this.key);
    this.stored = null;
    this.context.exit(this);
    return had ? { ...nothingObserved, removed: 1, changed: [`${containerKind}/${this.key}`] } : nothingObserved;
  }
}
