/**
 * A mirror actor's mailbox: one task at a time, in arrival order, so the actor is the single writer of
 * its mirrors without locks. Observations coalesce: while one is waiting its turn, more events for the
 * same object join it (their causes are kept in order), so a burst of events costs one inspect.
 */
/** The tail of every mailbox with nothing in hand: one shared promise, not one per mirror actor. */
const settled: Promise<void> = Promise.resolve();
const ignore = (): void => undefined;

export class Mailbox {
  /** Settles when the last queued task has; resolves to nothing, so no task's result outlives its callers. */
  private tail: Promise<void> = settled;
  private waitingObserve: { promise: Promise<unknown>; causes: string[] } | null = null;
  private closed = false;
  /** Tasks queued or running: the mailbox is idle at 0. */
  private busy = 0;

  /** Runs `task` after everything queued before it; rejects when the actor has stopped. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new MailboxClosedError());
    this.busy += 1;
    const result = this.tail
      .then(() => {
        if (this.closed) throw new MailboxClosedError();
        return task();
      })
      .finally(() => {
        this.busy -= 1;
        // Drained: drop the chain, so an idle actor keeps no promise of its own.
        if (this.busy === 0 && this.tail === tail) this.tail = settled;
      });
    // The chain must not stop at a failed task: the next one runs regardless.
    const tail = result.then(ignore, ignore);
    this.tail = tail;
    return result;
  }

  /**
   * Queues an observation with `cause` (an engine event's action, or undefined for a sync), or joins
   * the one already waiting. `task` gets every cause gathered until it started.
   */
  observe<T>(cause: string | undefined, task: (causes: string[]) => Promise<T>): Promise<T> {
    if (this.waitingObserve) {
      if (cause !== undefined) this.waitingObserve.causes.push(cause);
      return this.waitingObserve.promise as Promise<T>;
    }
    const waiting = { causes: cause === undefined ? [] : [cause], promise: Promise.resolve() as Promise<unknown> };
    this.waitingObserve = waiting;
    waiting.promise = this.run(() => {
      this.waitingObserve = null;
      return task(waiting.causes);
    });
    return waiting.promise as Promise<T>;
  }

  /** Closes the mailbox; resolves once the task running now (if any) has finished. */
  close(): Promise<void> {
    this.closed = true;
    return this.tail;
  }

  /** Resolves once no task is queued or running, including tasks queued meanwhile. */
  async idle(): Promise<void> {
    while (this.busy > 0) await this.tail;
  }

  get isIdle(): boolean {
    return this.busy === 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

export class MailboxClosedError extends Error {
  override readonly name = 'MailboxClosedError';
  constructor() {
    super('the mirror actor has stopped');
  }
}
