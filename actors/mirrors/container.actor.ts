/**
 * The actor of one engine container: owns its Container mirror and runs `machines/container.machine.ts`
 * for it. Engine events become OBSERVED (one per event, all with the state one inspect found), a user's
 * `spec.state` becomes DESIRED, a one-shot action becomes ACTION; what the machine reports (Converged,
 * lastAction, a released desired state) is written with the inspect into the one mirror. This file holds
 * users' commands; looking at the engine and writing the mirror are in `container-mirror-owner.ts`.
 */
import { ApiError } from '../../protocol/errors.js';
import {
  refusalSummary,
  type DeleteReply,
  type MirrorCommand,
  type MirrorVerb,
} from '../../protocol/mirrors/commands.schema.js';
import type { Container, ContainerDesiredState, LastAction } from '../../protocol/mirrors/container.schema.js';
import { ContainerActions } from './container-actions.js';
import { ContainerMirrorOwner } from './container-mirror-owner.js';
import { refusalOf } from './deletion.js';
import type { DeletionHost } from './deletion-lifecycle.js';

/** What one one-shot action asks for, without how the caller waits. */
type OneShotCommand = Omit<MirrorCommand<'action'>, 'wait'>;

export class ContainerActor extends ContainerMirrorOwner {
  private lastRequestMs = 0;

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
    if (!wait) return { queued: true };
    return { queued: false, lastAction: await outcome };
  }

  private async setDesired(state: ContainerDesiredState): Promise<Container> {
    await this.ensureObserved();
    if (this.link) this.link.machine.send({ type: 'DESIRED', desired: state });
    else if (this.inspected && state !== this.intent().desired) {
      // Only observed so far, so the desired state was unknown: this is a change, and a new generation.
      this.startMachine(state, this.intent().generation + 1, this.currentStatus());
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
    let link = this.link;
    if (!link) {
      const { desired, generation } = this.intent();
      link = this.startMachine(desired, generation, this.currentStatus());
    }
    const requestedAt = this.nextRequestTime();
    const actions = (this.actions ??= new ContainerActions());
    const { shown, outcome } = actions.accept(action, requestedAt);
    this.lastAction = shown;
    link.machine.send({
      type: 'ACTION',
      action,
      requestedAt,
      ...(stopTimeSeconds === undefined ? {} : { stopTimeSeconds }),
    });
    // Visible before anything else happens: a watcher sees the action start, then end.
    if (actions.isRunning(requestedAt)) await this.flush();
    return { outcome };
  }

  /** Request times name the requests: two in the same millisecond still get distinct ones. */
  private nextRequestTime(): string {
    const now = Math.max(Date.now(), this.lastRequestMs + 1);
    this.lastRequestMs = now;
    return new Date(now).toISOString();
  }

  private async startDelete(): Promise<DeleteReply> {
    if (!this.deletion()) {
      this.deletions.request(this.key, true);
      if (this.inspected) await this.flush();
    }
    return this.attemptDelete();
  }

  private async attemptDelete(): Promise<DeleteReply> {
    const attempt = await this.deletionsInHand?.attempt(this.key);
    if (!attempt) return { deleted: false, message: 'no delete requested' };
    if (!attempt.removed) return { deleted: false, message: refusalSummary(attempt.refusal), refused: attempt.refusal };
    await this.gone();
    return { deleted: true, message: `container ${this.key} deleted` };
  }

  protected deletionHost(): DeletionHost {
    return {
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
    };
  }
}
