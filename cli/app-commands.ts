/**
 * What `rdd set`, `rdd start` and `rdd stop` share: sending changes to the daemon and waiting for
 * them to settle.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ReplyOf, SetOutcome } from '../protocol/api.schema.js';
import type { App } from '../protocol/app.schema.js';
import { appKind, appName, setConflictReasons } from '../protocol/resource-names.js';
import { ShapeCheckedStore } from '../client/shape-checked-store.js';
import { InvalidStoredValueError } from '../client/stored-value.js';
import { ApiClient, connectBus, readCredentials } from '../client/api-client.js';
import { ApiError } from '../protocol/api-error.js';
import { quoteForMessage } from '../protocol/limits.js';
import { isAlive, readPidFile } from '../host/processes.js';
import { waitForApp } from './app-wait.js';
import { explainInterrupt, instanceArgument, type InterruptNotice } from './interrupt.js';
import { ensureDaemon, type InstanceContext } from './daemon-control.js';
import { Deadline, untilAnswered } from './deadline.js';
import { UsageError } from './exit-codes.js';
import { kubectlBooleans } from './ctl/ctl-command.js';
import type { TraceRecorder } from './inspect/live.js';
import { formatTrace } from './inspect/trace-path.js';

export interface ApplyOptions {
  dryRun: boolean;
  wait: boolean;
  /** Bounds the whole command: reaching the daemon, its answer, and the wait to settle (0: no bound). */
  timeoutMs: number;
  /** Leave a missing App missing (rdd stop): nothing is sent and null is returned. */
  onlyIfExists?: boolean;
  /** A request id to follow through the daemon's actors; its path is printed on stderr at the end. */
  trace?: string;
}

/**
 * `rdd set`, `start` and `stop` take kubectl's spelling of their booleans as `ctl delete` does:
 * `--wait=false` is `--no-wait` (return once the change is accepted), `--wait=true` is `--wait`.
 */
export function appCommandBooleans(argv: readonly string[]): string[] {
  return kubectlBooleans(argv, ['wait', 'dry-run', 'trace'], ['wait']);
}

/** Parses `PROP=VALUE` arguments; anything else is a usage error. */
export function parseAssignments(args: readonly string[]): Record<string, string> {
  if (args.length === 0)
    throw new UsageError('nothing to set: give one or more PROPERTY=VALUE arguments, e.g. running=true');
  // No prototype: `__proto__=1` must stay a key the daemon refuses, not replace the object's prototype
  // (and "constructor" must not count as given already).
  const changes: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const arg of args) {
    const equals = arg.indexOf('=');
    if (equals < 0) throw new UsageError(`invalid argument ${quoteForMessage(arg)}: expected PROPERTY=VALUE format`);
    const property = arg.slice(0, equals).trim();
    if (property === '')
      throw new UsageError(`invalid argument ${quoteForMessage(arg)}: the property name must not be empty`);
    if (Object.hasOwn(changes, property))
      throw new UsageError(`property ${quoteForMessage(property)} is given more than once`);
    changes[property] = arg.slice(equals + 1);
  }
  return changes;
}

/**
 * Sends `changes` and (unless told not to) waits until they settle, all within `options.timeoutMs`.
 * Across a restart of the bus or of the daemon's actors it keeps asking until it gets an answer: the
 * request carries an id and the generation it was based on, so sending it again can never apply it
 * twice (see actors/app/app-writer.ts). With `onlyIfExists` a missing App is left alone and null
 * returned.
 */
export function applyAppChanges(
  context: InstanceContext,
  changes: Record<string, string>,
  options: ApplyOptions,
): Promise<App | null> {
  // What a Ctrl-C leaves behind depends on how far the command got.
  let notice: InterruptNotice = {
    background: 'nothing was sent to the rdd daemon yet (if it was starting, it goes on in the background)',
    follow: `rdd svc status${instanceArgument(context.instance)}`,
  };
  const sent = (generation: number): void => {
    notice = {
      background: `${backgroundWork(changes)} in the background (App generation ${generation})`,
      follow: `rdd ctl wait app/app --for=condition=Settled --timeout=5m${instanceArgument(context.instance)}`,
    };
  };
  const sending = (): void => {
    notice = {
      background:
        'the change was sent and may or may not be stored; sending the same change again is safe, and rdd get shows the App',
      follow: `rdd get${instanceArgument(context.instance)}`,
    };
  };
  return explainInterrupt(
    () => notice,
    () => applyWithin(context, changes, options, { sending, sent }),
  );
}

/** What the daemon goes on doing with a stored change: the words for an interrupted wait. */
function backgroundWork(changes: Record<string, string>): string {
  if (changes.running === 'true') return 'the engine keeps starting';
  if (changes.running === 'false') return 'the engine keeps stopping';
  return 'the rdd daemon keeps applying the change';
}

async function applyWithin(
  context: InstanceContext,
  changes: Record<string, string>,
  options: ApplyOptions,
  phase: { sending: () => void; sent: (generation: number) => void },
): Promise<App | null> {
  const deadline = Deadline.after(options.timeoutMs);
  const { progress } = context;
  await reachDaemon(context);
  const nc = await connectWithin(context, deadline);
  let recorder: TraceRecorder | undefined;
  try {
    // Listening before sending: the first messages of a traced request follow the request at once.
    // Loaded only for --trace: it validates the daemon's inspection events with their schemas.
    if (options.trace)
      recorder = await (await import('./inspect/live.js')).recordTrace(nc, context.instance, options.trace, progress);
    phase.sending();
    const reply = await sendOnce(nc, context.instance, deadline, changes, options, progress);
    if (!reply) {
      progress('App does not exist; nothing to stop');
      return null;
    }
    const { app, outcome, generation } = reply;
    if (options.dryRun) {
      progress(
        `dry run: the App is valid; it would ${reply.changed ? `move to generation ${generation}` : 'not change'}`,
      );
      return app;
    }
    progress(describeOutcome(outcome, generation));
    if (!options.wait) return app;
    phase.sent(generation);
    const settled = await waitForApp(nc, {
      instance: context.instance,
      minGeneration: generation,
      deadline,
      progress,
      ...(process.stderr.isTTY ? { spinner: (line: string) => process.stderr.write(`\r\x1b[2K${line}`) } : {}),
    });
    progress(`App settled at generation ${generation}`);
    return settled;
  } finally {
    // Also after a failure: where the request went is what explains it.
    if (recorder) for (const line of formatTrace(recorder.trace, await recorder.finish())) progress(line);
    await nc.close();
  }
}

function describeOutcome(outcome: SetOutcome, generation: number): string {
  switch (outcome) {
    case 'applied':
      return `App changed: applied at generation ${generation}`;
    case 'already-applied':
      return `App changed: applied at generation ${generation} (stored by an earlier send whose answer was lost)`;
    case 'unchanged':
      return `App unchanged: the values are already set at generation ${generation}`;
  }
}

/**
 * Reads the App, then sends the change based on its generation; when someone else changed the App in
 * between (BaseMoved: this change was not applied) reads again and resends. Null when the App is
 * missing and `onlyIfExists` says to leave it so.
 */
async function sendOnce(
  nc: NatsConnection,
  instance: string,
  deadline: Deadline,
  changes: Record<string, string>,
  options: ApplyOptions,
  progress: (line: string) => void,
): Promise<ReplyOf<'app.set'> | null> {
  const api = new ApiClient(nc, instance);
  const id = randomBytes(8).toString('hex');
  const trace = options.trace ? { trace: options.trace } : {};
  for (;;) {
    // Read from the store, not through the daemon: the base is what is stored, and a busy daemon then
    // holds up only the request itself.
    const current = await untilAnswered(deadline, () => readStoredApp(nc, instance), {
      what: 'the App to be readable from the store',
      progress,
      // A stored App that fails validation stays invalid however long we wait: say so at once.
      retryable: (error) => !(error instanceof InvalidStoredValueError),
    });
    if (!current && options.onlyIfExists) return null;
    const request = { id, basedOnGeneration: current?.metadata.generation ?? 0 };
    try {
      return await untilAnswered(
        deadline,
        (timeoutMs) => api.request('app.set', { changes, dryRun: options.dryRun, request }, timeoutMs, trace),
        {
          what: `the rdd daemon to answer app.set request ${id} based on generation ${request.basedOnGeneration}`,
          progress,
          onTimeout: options.dryRun
            ? undefined
            : 'the change may or may not have been stored: see rdd get; running the same rdd set again is safe',
        },
      );
    } catch (error) {
      if (!(error instanceof ApiError && error.details?.reason === setConflictReasons.baseMoved)) throw error;
      progress(`${error.message}; sending the change again on top of the App as it is now`);
    }
  }
}

async function readStoredApp(nc: NatsConnection, instance: string): Promise<App | null> {
  return (await ShapeCheckedStore.open(nc, instance)).get<App>(appKind, appName);
}

/**
 * Starts the daemon unless its process lives. A daemon that lives but does not answer is restarting
 * its bus or its API: the requests below wait for it within the deadline, where starting a second
 * daemon would only lose to its pid lock.
 */
async function reachDaemon(context: InstanceContext): Promise<void> {
  const pid = await readPidFile(context.paths.pid_file);
  if (pid !== null && isAlive(pid)) return;
  await ensureDaemon(context);
}

/** Connects to the instance's bus, trying again until the deadline; the connection then reconnects by itself. */
function connectWithin(context: InstanceContext, deadline: Deadline): Promise<NatsConnection> {
  return untilAnswered(
    deadline,
    async (timeoutMs) =>
      connectBus(await readCredentials(context.paths.creds_file), { reconnect: true, name: 'rdd-cli', timeoutMs }),
    { what: `the rdd bus of instance ${context.instance} to accept a connection`, progress: context.progress },
  );
}
