/**
 * A KV watch that survives the daemon: when the bus goes away (a daemon or nats-server restart), it
 * reads the credentials again, reconnects and resumes from the revision after the last one it showed,
 * so a watcher neither misses nor repeats a change. Progress goes to stderr through `progress`.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { connectBus, readCredentials } from '../../client/api-client.js';
import { describeError } from '../../protocol/api-error.js';
import type { InstancePaths } from '../../protocol/instance.js';
import type { WatchEvent } from '../../protocol/resource.schema.js';
import { ShapeCheckedStore } from '../../client/shape-checked-store.js';
import { cleanUpOnInterrupt } from '../interrupt.js';
import { warnAboutInvalidValues } from './invalid-values.js';

export interface ResilientWatchOptions {
  instance: string;
  paths: InstancePaths;
  kind?: string;
  signal: AbortSignal;
  progress: (line: string) => void;
  /** Called once the initial values have all been delivered. */
  onSynced?: () => void;
  /** The store of the first connection, when the caller already has one open. */
  first?: { nc: NatsConnection; store: ShapeCheckedStore };
}

const retryMs = 500;

/** The signals a command without a handler of its own dies of: Ctrl-C and a plain kill. */
const interruptions = ['SIGINT', 'SIGTERM'] as const;

/**
 * While `body` runs, Ctrl-C (or SIGTERM) aborts `round` so the watch ends and deletes its consumer
 * before the process goes. In a command that explains its interrupts (cli/interrupt.ts) that happens
 * before the notice's exit; in one that does not handle a signal at all, the process then dies of the
 * same signal, as it would have. A command with its own handler (ctl get -w) ends its watch itself.
 */
export async function closingOnInterrupt<T>(round: AbortController, body: () => Promise<T>): Promise<T> {
  let interrupted: NodeJS.Signals | undefined;
  const interrupt = (signal: NodeJS.Signals): void => {
    interrupted = signal;
    round.abort();
  };
  const taken = interruptions.filter((signal) => process.listenerCount(signal) === 0);
  for (const signal of taken) process.once(signal, interrupt);
  let running: Promise<T> | undefined;
  const endWatch = async (): Promise<void> => {
    round.abort();
    await running?.catch(() => undefined);
  };
  try {
    return await cleanUpOnInterrupt(endWatch, () => (running = body()));
  } finally {
    for (const signal of taken) process.off(signal, interrupt);
    if (interrupted) process.kill(process.pid, interrupted);
  }
}

export async function* resilientWatch(options: ResilientWatchOptions): AsyncGenerator<WatchEvent> {
  const { signal } = options;
  let fromRevision: number | undefined;
  // A round lost before its initial values were all in starts over: resuming would never say "synced".
  let synced = false;
  const onSynced = (): void => {
    synced = true;
    options.onSynced?.();
  };
  let first = options.first;
  let lostAt: number | null = null;
  while (!signal.aborted) {
    let nc: NatsConnection | undefined;
    const round = new AbortController();
    const abortRound = (): void => round.abort();
    signal.addEventListener('abort', abortRound, { once: true });
    try {
      nc = first?.nc ?? (await connectBus(await readCredentials(options.paths.creds_file), { name: 'rdd-watch' }));
      const store = first?.store ?? warnAboutInvalidValues(await ShapeCheckedStore.open(nc, options.instance));
      first = undefined;
      // The connection giving up (its reconnects exhausted) ends this round; the next one starts afresh.
      void nc.closed().then(abortRound);
      if (lostAt !== null) {
        options.progress(`watch resumed after ${Math.round((Date.now() - lostAt) / 100) / 10}s`);
        lostAt = null;
      }
      const resuming = synced && fromRevision !== undefined;
      const watch = store.watch(
        {
          ...(options.kind ? { kind: options.kind } : {}),
          ...(resuming ? { fromRevision } : { onSynced }),
        },
        round.signal,
      );
      // Only the waits for the next event are guarded: the caller's handling of an event is its own.
      try {
        for (;;) {
          const next = await closingOnInterrupt(round, () => watch.next());
          if (next.done) break;
          fromRevision = next.value.revision + 1;
          yield next.value;
        }
      } finally {
        // Left early (the caller stopped): end the watch so it deletes its consumer.
        await watch.return(undefined);
      }
    } catch (error) {
      if (signal.aborted) break;
      if (lostAt === null) {
        lostAt = Date.now();
        options.progress(`lost the rdd bus (${describeError(error)}); reconnecting…`);
      }
    } finally {
      signal.removeEventListener('abort', abortRound);
      await nc?.close().catch(() => undefined);
    }
    if (signal.aborted) break;
    if (lostAt === null) {
      lostAt = Date.now();
      options.progress('lost the rdd bus; reconnecting…');
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}
