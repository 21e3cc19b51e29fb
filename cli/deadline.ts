/**
 * One deadline for a whole command (its `--timeout`), and the retry loop every step inside it shares:
 * reaching the bus, asking the daemon, watching the App. A step that got no answer (the bus is
 * restarting, the daemon's API is coming back) tries again until the deadline; a step that got an
 * answer, even a refusal, is done. Each step gets one full attempt even when the deadline has passed,
 * so a short --timeout still sends the change and only bounds the waiting and the retries. Running out
 * of time is always a {@link WaitTimeoutError} (exit 4) naming what was awaited and the last thing seen.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { answerIsUnknown } from '../client/api-client.js';
import { describeError } from '../protocol/api-error.js';
import { formatDuration } from './duration.js';
import { WaitTimeoutError } from './exit-codes.js';

/** How long one attempt may take before it is sent again: short, so a restarted daemon is found soon. */
export const attemptTimeoutMs = 3_000;
const pauseBetweenAttemptsMs = 250;

export class Deadline {
  private constructor(
    /** 0: no deadline. */
    readonly timeoutMs: number,
    private readonly at: number,
  ) {}

  static after(timeoutMs: number): Deadline {
    return new Deadline(timeoutMs, timeoutMs > 0 ? Date.now() + timeoutMs : Infinity);
  }

  remainingMs(): number {
    return Math.max(0, this.at - Date.now());
  }

  passed(): boolean {
    return this.remainingMs() === 0;
  }

  /** How long the next attempt may take: `capMs`, or what is left when that is less. */
  attemptMs(capMs = attemptTimeoutMs): number {
    return Math.max(1, Math.min(capMs, this.remainingMs()));
  }

  /** `timed out after 30s waiting for <what>; last: <last>` */
  timedOut(what: string, last: string): WaitTimeoutError {
    return new WaitTimeoutError(`timed out after ${formatDuration(this.timeoutMs)} waiting for ${what}; last: ${last}`);
  }
}

export interface RetryOptions {
  /** What the command waits for, for the progress lines and the timeout message: `an answer to app.set`. */
  what: string;
  progress: (line: string) => void;
  /** Added to the timeout message: what the user may assume, and what to do. */
  onTimeout?: string;
  /** Which failures leave the question open; by default the ones where no answer came. */
  retryable?: (error: unknown) => boolean;
}

/**
 * Runs `attempt` (given how long it may take) until it answers or the deadline passes, but at least
 * once; prints each new reason for trying again once on stderr.
 */
export async function untilAnswered<T>(
  deadline: Deadline,
  attempt: (timeoutMs: number) => Promise<T>,
  { what, progress, onTimeout, retryable = answerIsUnknown }: RetryOptions,
): Promise<T> {
  let last: string | undefined;
  for (let first = true; ; first = false) {
    try {
      return await attempt(first ? attemptTimeoutMs : deadline.attemptMs());
    } catch (error) {
      if (!retryable(error)) throw error;
      const reason = describeError(error);
      if (deadline.passed()) throw deadline.timedOut(what, `${reason}${onTimeout ? `; ${onTimeout}` : ''}`);
      if (reason !== last) progress(`still waiting for ${what} (${reason}); trying again`);
      last = reason;
      await delay(Math.min(pauseBetweenAttemptsMs, deadline.remainingMs()));
    }
  }
}
