/**
 * What `rdd set`, `rdd start` and `rdd stop` share: sending changes to the daemon and waiting for
 * them to settle.
 */
import type { App } from '../protocol/app.schema.js';
import { waitForApp } from './app-wait.js';
import { connectToDaemon, ensureDaemon, type InstanceContext } from './daemon-control.js';
import { UsageError } from './exit-codes.js';
import { recordTrace, type TraceRecorder } from './inspect/live.js';
import { formatTrace } from './inspect/trace-path.js';

export interface ApplyOptions {
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  /** A request id to follow through the daemon's actors; its path is printed on stderr at the end. */
  trace?: string;
}

/** Parses `PROP=VALUE` arguments; anything else is a usage error. */
export function parseAssignments(args: readonly string[]): Record<string, string> {
  if (args.length === 0)
    throw new UsageError('nothing to set: give one or more PROPERTY=VALUE arguments, e.g. running=true');
  const changes: Record<string, string> = {};
  for (const arg of args) {
    const equals = arg.indexOf('=');
    if (equals < 0) throw new UsageError(`invalid argument ${JSON.stringify(arg)}: expected PROPERTY=VALUE format`);
    const property = arg.slice(0, equals).trim();
    if (property === '')
      throw new UsageError(`invalid argument ${JSON.stringify(arg)}: the property name must not be empty`);
    if (property in changes) throw new UsageError(`property ${JSON.stringify(property)} is given more than once`);
    changes[property] = arg.slice(equals + 1);
  }
  return changes;
}

export async function applyAppChanges(
  context: InstanceContext,
  changes: Record<string, string>,
  options: ApplyOptions,
): Promise<App> {
  await ensureDaemon(context);
  const { nc, api } = await connectToDaemon(context, { reconnect: true });
  let recorder: TraceRecorder | undefined;
  try {
    // Listening before sending: the first messages of a traced request follow the request at once.
    if (options.trace) recorder = await recordTrace(nc, context.instance, options.trace, context.progress);
    const { app, changed } = await api.request(
      'app.set',
      { changes, dryRun: options.dryRun },
      undefined,
      options.trace ? { trace: options.trace } : {},
    );
    const generation = app.metadata.generation ?? 0;
    if (options.dryRun) {
      context.progress(
        `dry run: the App is valid; it would ${changed ? `move to generation ${generation}` : 'not change'}`,
      );
      return app;
    }
    context.progress(changed ? `App updated to generation ${generation}` : `App unchanged at generation ${generation}`);
    if (!options.wait) return app;
    const settled = await waitForApp(nc, {
      instance: context.instance,
      minGeneration: generation,
      timeoutMs: options.timeoutMs,
      progress: context.progress,
      ...(process.stderr.isTTY ? { spinner: (line: string) => process.stderr.write(`\r\x1b[2K${line}`) } : {}),
    });
    context.progress(`App settled at generation ${generation}`);
    return settled;
  } finally {
    // Also after a failure: where the request went is what explains it.
    if (recorder) for (const line of formatTrace(recorder.trace, await recorder.finish())) context.progress(line);
    await nc.close();
  }
}
