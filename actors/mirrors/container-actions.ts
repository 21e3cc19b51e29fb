/**
 * A container actor's one-shot actions between being accepted and being shown: who waits for each
 * outcome, which actions still run (the mirror shows the latest as its action annotation, gone once
 * done, and as lastAction Running), and the outcomes waiting for the write that shows them. An action
 * is answered only once the mirror shows its outcome.
 */
import { ApiError } from '../../protocol/errors.js';
import type { ContainerAction, LastAction } from '../../protocol/mirrors/container.schema.js';

interface ActionWaiter {
  resolve: (lastAction: LastAction) => void;
  reject: (error: Error) => void;
}

export class ContainerActions {
  private readonly waiters = new Map<string, ActionWaiter>();
  /** Accepted and not finished, by request time. */
  private readonly running = new Map<string, ContainerAction>();
  private readonly finished: LastAction[] = [];

  /** Accepts an action requested at `requestedAt`; the promise settles once the mirror shows its end. */
  accept(action: ContainerAction, requestedAt: string): { shown: LastAction; outcome: Promise<LastAction> } {
    const outcome = new Promise<LastAction>((resolve, reject) => this.waiters.set(requestedAt, { resolve, reject }));
    // A caller may never await it (its write failed and the actor crashed, then abandon rejects it): an
    // unhandled rejection would stop the daemon. Whoever awaits `outcome` still sees the rejection.
    outcome.catch(() => undefined);
    this.running.set(requestedAt, action);
    return { shown: { action, state: 'Running', observedAt: requestedAt }, outcome };
  }

  isRunning(requestedAt: string): boolean {
    return this.running.has(requestedAt);
  }

  /** The action the mirror's annotation names: the latest one still running. */
  latestRunning(): ContainerAction | undefined {
    return [...this.running.values()].at(-1);
  }

  /** The machine finished an action; its waiter is answered after the next write (see takeShown). */
  finish(lastAction: LastAction): void {
    this.running.delete(lastAction.observedAt);
    this.finished.push(lastAction);
  }

  /** Taken before a write: the outcomes it shows. Any finishing meanwhile wait for the next write. */
  takeShown(): LastAction[] {
    return this.finished.splice(0);
  }

  /** After the write that showed them: whoever waited learns the outcome. */
  answer(shown: readonly LastAction[]): void {
    for (const lastAction of shown) {
      this.waiters.get(lastAction.observedAt)?.resolve(lastAction);
      this.waiters.delete(lastAction.observedAt);
    }
  }

  /** The container's actor stops: nobody will report the actions still waiting. */
  abandon(containerId: string): void {
    const error = new ApiError('Conflict', `container ${containerId} went away before the action finished`);
    this.waiters.forEach(({ reject }) => reject(error));
    this.waiters.clear();
  }
}

/** An action shown Running by a predecessor that stopped (a daemon crash) will never report: say so. */
export function interruptedIfRunning(lastAction: LastAction | undefined): LastAction | undefined {
  if (lastAction?.state !== 'Running') return lastAction;
  return {
    ...lastAction,
    state: 'Failed',
    error: 'interrupted: rdd restarted before the action finished; its effect shows in status.status',
    completedAt: new Date().toISOString(),
  };
}
