/**
 * Waiting on an App change, honestly: done at Settled=True for the generation the write produced;
 * failed at once when a condition at that generation reports a failure (with its reason and message);
 * timed out naming what it waited for and the last state seen. A watch lost to a restart of the bus is
 * opened again until the deadline. Every condition change is printed on stderr as it happens, with a
 * spinner line on a terminal.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { NatsConnection } from '@nats-io/transport-node';
import type { App } from '../protocol/app.schema.js';
import { appKind, appName } from '../protocol/resource-names.js';
import { describeCondition, summarize, waitVerdict } from '../protocol/app.wait.js';
import { describeError } from '../protocol/api-error.js';
import type { WatchEvent } from '../protocol/resource.schema.js';
import { ShapeCheckedStore } from '../client/shape-checked-store.js';
import { closingOnInterrupt } from './ctl/watch.js';
import type { Deadline } from './deadline.js';
import { formatDuration } from './duration.js';

/** A failure condition seen while waiting; exit 1 with its reason and message. */
export class AppFailedError extends Error {
  override readonly name = 'AppFailedError';
}

export interface WaitOptions {
  instance: string;
  minGeneration: number;
  /** When to give up (the command's --timeout). */
  deadline: Deadline;
  progress: (line: string) => void;
  /** Overwrites one status line (a terminal); absent when stderr is not a terminal. */
  spinner?: (line: string) => void;
}

/** What the wait has seen so far, kept across watches when one is lost to a bus restart. */
interface Seen {
  last: App | null;
  lines: Map<string, string>;
}

export async function waitForApp(nc: NatsConnection, options: WaitOptions): Promise<App> {
  const startedAt = Date.now();
  const seen: Seen = { last: null, lines: new Map() };
  const spin = options.spinner ? setInterval(() => spinnerLine(options, seen.last, startedAt), 120) : undefined;
  let lost: string | undefined;
  try {
    while (!options.deadline.passed()) {
      try {
        const settled = await watchUntilSettled(nc, options, seen);
        if (settled) return settled;
      } catch (error) {
        if (error instanceof AppFailedError) throw error;
        // The bus restarted under the watch, or cannot be reached yet: watch again until the deadline.
        const reason = describeError(error);
        if (reason !== lost) options.progress(`  lost the App watch (${reason}); watching again`);
        lost = reason;
        await delay(Math.min(250, options.deadline.remainingMs()));
      }
    }
    throw options.deadline.timedOut(
      `Settled=True at generation ${options.minGeneration}`,
      await lastSeen(nc, options, seen.last),
    );
  } finally {
    clearInterval(spin);
    options.spinner?.('');
  }
}

/**
 * One watch of the App: the App once settled, null when the deadline passed; throws AppFailedError for
 * a failure the App reports, and whatever the bus throws when the watch breaks.
 */
async function watchUntilSettled(nc: NatsConnection, options: WaitOptions, seen: Seen): Promise<App | null> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.min(options.deadline.remainingMs(), 2 ** 31 - 1));
  let watch: AsyncGenerator<WatchEvent> | undefined;
  try {
    const store = await ShapeCheckedStore.open(nc, options.instance);
    const events = store.watch({ kind: appKind, name: appName }, abort.signal);
    watch = events;
    for (;;) {
      // Ctrl-C ends the watch (deleting its consumer) before the process dies of it.
      const next = await closingOnInterrupt(abort, () => events.next());
      if (next.done) break;
      const event = next.value;
      if (event.type === 'DELETED') throw new AppFailedError('the App was deleted while waiting for it');
      const app = event.object as App;
      seen.last = app;
      for (const condition of app.status.conditions) {
        const line = describeCondition(condition);
        if (seen.lines.get(condition.type) !== line) {
          seen.lines.set(condition.type, line);
          options.spinner?.('');
          options.progress(`  ${line}`);
        }
      }
      const verdict = waitVerdict(app, options.minGeneration);
      if (verdict.state === 'done') return app;
      if (verdict.state === 'failed') throw new AppFailedError(describeCondition(verdict.condition));
    }
    if (abort.signal.aborted) return null;
    throw new Error('the App watch ended');
  } finally {
    clearTimeout(timer);
    abort.abort();
    // Settled or failed mid-watch: end it so it deletes its consumer.
    await watch?.return(undefined);
  }
}

/** The last state seen, for the timeout message; read once when the watch delivered nothing. */
async function lastSeen(nc: NatsConnection, options: WaitOptions, last: App | null): Promise<string> {
  try {
    const app = last ?? (await (await ShapeCheckedStore.open(nc, options.instance)).get<App>(appKind, appName));
    return app ? summarize(app, options.minGeneration) : 'the App was not found';
  } catch (error) {
    return `the App could not be read (${describeError(error)})`;
  }
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function spinnerLine(options: WaitOptions, app: App | null, startedAt: number): void {
  const elapsed = Date.now() - startedAt;
  const frame = frames[Math.floor(elapsed / 120) % frames.length] ?? '';
  const settled = app?.status.conditions.find((condition) => condition.type === 'Settled');
  const what = settled ? `${settled.reason}` : 'waiting for the App';
  options.spinner?.(`${frame} ${what} (${formatDuration(Math.floor(elapsed / 1_000) * 1_000 || 1_000)})`);
}
