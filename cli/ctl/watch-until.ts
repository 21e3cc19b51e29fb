/**
 * Watching one kind until a judgement over the current objects says done, or a timeout: what
 * `ctl wait` and `ctl delete --wait` share. Objects are kept in a map by name; the judgement runs once
 * the initial values are in and after every change from then on.
 */
import type { Resource } from '../../protocol/resource.schema.js';
import type { InstanceContext } from '../daemon-control.js';
import { WaitTimeoutError } from '../exit-codes.js';
import type { CtlConnection } from './ctl-command.js';
import { resilientWatch } from './watch.js';

export interface WatchUntilOptions {
  context: InstanceContext;
  connection: CtlConnection;
  kind: string | undefined;
  /** 0 waits forever. */
  timeoutMs: number;
  /** The timeout's message, computed when it fires (it may name the last state seen). */
  timeoutMessage: () => string;
  /** Which objects count (namespace, selectors); the rest are treated as absent. */
  accept?: (resource: Resource) => boolean;
  /** True once the wait is over. */
  done: (objects: readonly Resource[]) => boolean;
}

export async function watchUntil(options: WatchUntilOptions): Promise<void> {
  const { context, accept = () => true } = options;
  const aborter = new AbortController();
  const timer =
    options.timeoutMs > 0
      ? setTimeout(() => aborter.abort(new WaitTimeoutError(options.timeoutMessage())), options.timeoutMs)
      : undefined;
  const current = new Map<string, Resource>();
  let synced = false;
  let finished = false;
  const judge = (): void => {
    if (!synced || finished || !options.done([...current.values()])) return;
    finished = true;
    aborter.abort();
  };
  try {
    for await (const event of resilientWatch({
      instance: context.instance,
      paths: context.paths,
      ...(options.kind ? { kind: options.kind } : {}),
      signal: aborter.signal,
      progress: context.progress,
      // The initial values are all in: judge them (the watch may stay quiet from now on).
      onSynced: () => {
        synced = true;
        judge();
      },
      first: options.connection,
    })) {
      const name = event.object.metadata.name;
      if (event.type === 'DELETED' || !accept(event.object)) current.delete(name);
      else current.set(name, event.object);
      judge();
    }
    if (!finished && aborter.signal.reason instanceof Error) throw aborter.signal.reason;
  } finally {
    clearTimeout(timer);
    aborter.abort();
  }
}
