/**
 * The one deletion lifecycle of every mirror actor (see `deletion.ts` for what a delete means): mark,
 * remove the engine object, and on a refusal show `DeleteFailed` and retry after a backoff, at once when
 * a container goes away, and after a restart from the stored mark. What differs by kind (how to remove,
 * who holds the object, how the mirror is written) is the actor's {@link DeletionHost}.
 */
import type { DeleteRefusal } from '../../protocol/mirrors/commands.schema.js';
import { deletionOf, failedDeletion, retryDelayMs, startDeletion, type DeletionState } from './deletion.js';

/** What the lifecycle asks of the actor whose mirrors it deletes. */
export interface DeletionHost {
  /** Whether the actor has stopped: a stopped one arms nothing, its successor resumes from the mark. */
  isStopped(): boolean;
  /** Retries the delete of mirror `name` as one of the actor's own tasks, in turn with the others. */
  retry(name: string): void;
  /** Removes the engine object that mirror `name` stands for. */
  remove(name: string, deletion: DeletionState): Promise<void>;
  /** What the engine's refusal to remove mirror `name`'s object means. */
  refusal(name: string, deletion: DeletionState, error: unknown): Promise<DeleteRefusal>;
  /** Writes mirror `name` as it stands, with its mark and its `DeleteFailed`. */
  show(name: string): Promise<unknown>;
  /** Whether deletes are pending, so the supervisor retries them when a container goes away. */
  pending(pending: boolean): void;
}

/** How one attempt ended: the object is gone, or the engine refused (and a retry is armed). */
export type DeleteAttempt = { readonly removed: true } | { readonly removed: false; readonly refusal: DeleteRefusal };

export class DeletionLifecycle {
  /** Pending deletes by mirror name. */
  private readonly states = new Map<string, DeletionState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly host: DeletionHost) {}

  /** Takes up a delete marked on a stored mirror before the daemon stopped. */
  resume(name: string, metadata: Parameters<typeof deletionOf>[0]): void {
    const deletion = deletionOf(metadata);
    if (deletion) this.states.set(name, deletion);
  }

  of(name: string): DeletionState | null {
    return this.states.get(name) ?? null;
  }

  get size(): number {
    return this.states.size;
  }

  /** Marks mirror `name` for deletion; a delete already pending keeps its time and gains `force`. */
  request(name: string, force: boolean): void {
    const existing = this.states.get(name);
    this.states.set(
      name,
      existing ? { ...existing, force: existing.force || force } : startDeletion(force, new Date().toISOString()),
    );
  }

  /** Tries to remove the object of `name` now; null when no delete of it is pending. */
  async attempt(name: string): Promise<DeleteAttempt | null> {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
    const deletion = this.states.get(name);
    if (!deletion) return null;
    try {
      await this.host.remove(name, deletion);
    } catch (error) {
      const refusal = await this.host.refusal(name, deletion, error);
      const failed = failedDeletion(deletion, refusal);
      this.states.set(name, failed);
      await this.host.show(name);
      this.schedule(name, retryDelayMs(failed));
      return { removed: false, refusal };
    }
    this.forget(name);
    return { removed: true };
  }

  /** Something that may have released an object happened (a container went away): retry every delete now. */
  retryAll(): void {
    for (const name of this.states.keys()) this.schedule(name, 0);
  }

  /** After a look at the engine: attempts, in a task of their own, every delete not waiting to retry. */
  resumePending(present: (name: string) => boolean): void {
    for (const name of this.states.keys()) if (!this.timers.has(name) && present(name)) this.schedule(name, 0);
  }

  /** The mirror went some other way: its delete is over. */
  forget(name: string): void {
    this.states.delete(name);
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
    this.host.pending(this.states.size > 0);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(name: string, delayMs: number): void {
    if (this.host.isStopped()) return;
    this.host.pending(true);
    clearTimeout(this.timers.get(name));
    const timer = setTimeout(() => this.host.retry(name), delayMs);
    timer.unref?.();
    this.timers.set(name, timer);
  }
}
