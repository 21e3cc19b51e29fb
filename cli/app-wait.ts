/**
 * Waiting on an App change, honestly: done at Settled=True for the generation the write produced;
 * failed at once when a condition at that generation reports a failure (with its reason and message);
 * timed out naming what it waited for and the last state seen. Every condition change is printed on
 * stderr as it happens, with a spinner line on a terminal.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { appKind, appName, type App } from '../protocol/app.schema.js';
import { describeCondition, summarize, waitVerdict } from '../protocol/app.wait.js';
import { ResourceStore } from '../protocol/store.js';
import { formatDuration } from './duration.js';
import { WaitTimeoutError } from './exit-codes.js';

/** A failure condition seen while waiting; exit 1 with its reason and message. */
export class AppFailedError extends Error {
  override readonly name = 'AppFailedError';
}

export interface WaitOptions {
  instance: string;
  minGeneration: number;
  /** 0 waits forever. */
  timeoutMs: number;
  progress: (line: string) => void;
  /** Overwrites one status line (a terminal); absent when stderr is not a terminal. */
  spinner?: (line: string) => void;
}

export async function waitForApp(nc: NatsConnection, options: WaitOptions): Promise<App> {
  const store = await ResourceStore.open(nc, options.instance);
  const abort = new AbortController();
  const startedAt = Date.now();
  let last: App | null = null;
  let timedOut = false;
  const timer =
    options.timeoutMs > 0 ? setTimeout(() => ((timedOut = true), abort.abort()), options.timeoutMs) : undefined;
  const spin = options.spinner ? setInterval(() => spinnerLine(options, last, startedAt), 120) : undefined;
  const seen = new Map<string, string>();
  try {
    for await (const event of store.watch({ kind: appKind, name: appName }, abort.signal)) {
      if (event.type === 'DELETED') throw new AppFailedError('the App was deleted while waiting for it');
      const app = event.object as App;
      last = app;
      for (const condition of app.status.conditions) {
        const line = describeCondition(condition);
        if (seen.get(condition.type) !== line) {
          seen.set(condition.type, line);
          options.spinner?.('');
          options.progress(`  ${line}`);
        }
      }
      const verdict = waitVerdict(app, options.minGeneration);
      if (verdict.state === 'done') return app;
      if (verdict.state === 'failed') throw new AppFailedError(describeCondition(verdict.condition));
    }
    if (timedOut) {
      // A very short timeout can end before the watch delivered anything: read the App once instead.
      const app = last ?? (await store.get<App>(appKind, appName));
      const lastSeen = app ? summarize(app, options.minGeneration) : 'the App was not found';
      throw new WaitTimeoutError(
        `timed out after ${formatDuration(options.timeoutMs)} waiting for Settled=True at generation ${options.minGeneration}; last: ${lastSeen}`,
      );
    }
    throw new AppFailedError('the App watch ended unexpectedly');
  } finally {
    clearTimeout(timer);
    clearInterval(spin);
    options.spinner?.('');
    abort.abort();
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
