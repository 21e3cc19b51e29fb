/**
 * Reaching, starting and stopping an instance's daemon from the CLI. The daemon is a separate process
 * (`bin/rdd-daemon`); the CLI finds it through the pid file, the daemon file and the bus credentials.
 */
import fs from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DaemonStatus, EndpointName, ReplyOf, RequestOf } from '../protocol/api.schema.js';
import { connectBus, readCredentials, type ApiClient } from '../client/api-client.js';
import { ApiError, describeError } from '../protocol/api-error.js';
import { isAlive, terminate, waitForExit } from '../host/processes.js';
import {
  askStatus,
  connectToDaemon,
  daemonProcess,
  spawnDaemon,
  type DaemonProcess,
  type InstanceContext,
  type SpawnedDaemon,
} from './daemon-process.js';
import { formatDuration } from './duration.js';
import { WaitTimeoutError } from './exit-codes.js';

export { connectToDaemon, daemonOutFile, type InstanceContext } from './daemon-process.js';

export interface DaemonState {
  instance: string;
  created: boolean;
  running: boolean;
  pid: number | null;
  natsUrl: string | null;
  status: DaemonStatus | null;
}

/** How a command that needs a running daemon says it is not: what failed, and how to start it. */
export function notRunningMessage(instance: string, cause?: string): string {
  return `the rdd daemon of instance ${instance} is not running${cause ? ` (${cause})` : ''}; start it with: rdd svc start`;
}

/**
 * The bus of a daemon that must already run (reads and watches never boot an engine); Unavailable,
 * saying how to start it, when it does not.
 */
export async function connectRunningDaemon(
  context: InstanceContext,
  options: { reconnect?: boolean; name: string },
): Promise<NatsConnection> {
  // No credentials file is the plain "never started or stopped" case: nothing more to say than that.
  if (!fs.existsSync(context.paths.creds_file)) throw new ApiError('Unavailable', notRunningMessage(context.instance));
  try {
    return await connectBus(await readCredentials(context.paths.creds_file), options);
  } catch (error) {
    throw new ApiError('Unavailable', notRunningMessage(context.instance, describeError(error)));
  }
}

export async function daemonState(context: InstanceContext): Promise<DaemonState> {
  const created = fs.existsSync(context.paths.dir);
  const found = await daemonProcess(context);
  const pid = found?.pid ?? null;
  const base = { instance: context.instance, created, pid, running: false, natsUrl: null, status: null };
  if (pid === null) return base;
  const status = await askStatus(context, 2_000);
  return status ? { ...base, running: true, natsUrl: status.natsUrl, status } : base;
}

export interface StartOptions {
  /** Wait until the daemon answers (else return once it is spawned). */
  wait: boolean;
  /** Say so on stderr when a daemon already runs (`svc start` does; commands that merely need one do not). */
  reportRunning: boolean;
}

/**
 * Makes sure one daemon runs and answers, within `timeoutMs` (0 = forever). A daemon that is stopping
 * is waited out and then replaced; one that is alive but not answering (booting, restarting its bus) is
 * waited for, never doubled; only when none is alive is one spawned. A spawned daemon that fails
 * fails this at once with what it printed.
 */
export async function startDaemon(
  context: InstanceContext,
  timeoutMs: number,
  options: StartOptions = { wait: true, reportRunning: true },
): Promise<DaemonStatus | null> {
  const deadline = timeoutMs === 0 ? Infinity : Date.now() + timeoutMs;
  const name = `rdd daemon of instance ${context.instance}`;
  for (;;) {
    const found = await daemonProcess(context);
    if (found?.stopping) {
      await awaitStop(context, found.pid, deadline, timeoutMs);
      continue;
    }
    if (found) {
      if (!options.wait) {
        context.progress(`${name} is already running (pid ${found.pid}); not waiting for it to answer`);
        return null;
      }
      const status = await awaitAnswer(context, found, deadline, timeoutMs);
      if (status === 'gone') continue;
      if (options.reportRunning) context.progress(`${name} is already running (pid ${status.pid})`);
      return status;
    }
    context.progress(`Starting ${name}…`);
    const spawned = spawnDaemon(context);
    if (!options.wait) {
      context.progress(`Spawned ${name} (pid ${spawned.pid}); not waiting for it`);
      return null;
    }
    const status = await awaitSpawned(context, spawned, deadline, timeoutMs);
    if (status === 'lost-lock') continue;
    context.progress(`Started ${name} (pid ${status.pid}) at ${status.natsUrl}`);
    return status;
  }
}

/** Waits for a stopping daemon to exit; a stop that outlasts the deadline is a timeout that says so. */
async function awaitStop(context: InstanceContext, pid: number, deadline: number, timeoutMs: number): Promise<void> {
  const name = `rdd daemon of instance ${context.instance} (pid ${pid})`;
  context.progress(`${name} is stopping; waiting for it to exit before starting a new one…`);
  const exited = await pollUntil(
    deadline,
    () => Promise.resolve(isAlive(pid) ? undefined : true),
    (elapsed) => context.progress(`${name} is still stopping (${elapsed})`),
  );
  if (exited === undefined) {
    throw new WaitTimeoutError(
      `${name} was still stopping after ${formatDuration(timeoutMs)}; run rdd svc start again once it has exited (rdd svc status shows running: false)`,
    );
  }
}

/**
 * Waits for a live daemon to answer. 'gone' when it exits or begins to stop meanwhile (the caller
 * decides again); a timeout when it stays alive and silent.
 */
async function awaitAnswer(
  context: InstanceContext,
  found: DaemonProcess,
  deadline: number,
  timeoutMs: number,
): Promise<DaemonStatus | 'gone'> {
  const name = `rdd daemon of instance ${context.instance} (pid ${found.pid})`;
  let asked = 0;
  const outcome = await pollUntil(
    deadline,
    async () => {
      const status = await askStatus(context, 1_000);
      if (status) return status;
      const now = await daemonProcess(context);
      if (now?.pid !== found.pid || now.stopping) return 'gone' as const;
      if (asked++ === 0) context.progress(`${name} is alive but not answering yet; waiting for it…`);
      return undefined;
    },
    (elapsed) => context.progress(`${name} has not answered for ${elapsed}`),
  );
  if (outcome === undefined) {
    throw new WaitTimeoutError(
      `${name} is alive but did not answer within ${formatDuration(timeoutMs)}; see rdd svc logs`,
    );
  }
  return outcome;
}

/**
 * Waits for a daemon this command spawned to answer. 'lost-lock' when it exited cleanly without
 * answering: another daemon took the instance lock first, and the caller decides again.
 */
async function awaitSpawned(
  context: InstanceContext,
  spawned: SpawnedDaemon,
  deadline: number,
  timeoutMs: number,
): Promise<DaemonStatus | 'lost-lock'> {
  const name = `rdd daemon of instance ${context.instance}`;
  const outcome = await pollUntil(
    deadline,
    async () => {
      const status = await askStatus(context, 1_000);
      if (status) return status;
      const code = spawned.exitCode();
      if (code === 0) return 'lost-lock' as const;
      if (code !== null) throw new Error(`${name} failed to start: ${spawned.output()}`);
      return undefined;
    },
    (elapsed) => context.progress(`${name} (pid ${spawned.pid}) has not answered for ${elapsed}`),
  );
  if (outcome === undefined) {
    throw new WaitTimeoutError(
      `timed out after ${formatDuration(timeoutMs)} waiting for the ${name} to answer; see ${spawned.outFile} and ${context.paths.log_dir}`,
    );
  }
  return outcome;
}

const stillWaitingEveryMs = 10_000;

/** Polls until `probe` yields a value (undefined once past the deadline), saying every 10 s how long. */
async function pollUntil<T>(
  deadline: number,
  probe: () => Promise<T | undefined>,
  stillWaiting: (elapsed: string) => void,
): Promise<T | undefined> {
  const began = Date.now();
  let nextNote = began + stillWaitingEveryMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    if (Date.now() >= nextNote) {
      stillWaiting(formatDuration(Math.round((Date.now() - began) / 1_000) * 1_000));
      nextNote += stillWaitingEveryMs;
    }
    await sleep(150);
  }
}

/** Starts the daemon if none is alive, saying so on stderr; for commands that need it. */
export async function ensureDaemon(context: InstanceContext, timeoutMs = 90_000): Promise<DaemonStatus> {
  // A daemon that is alive but busy (restarting its bus, say) is waited for, never doubled.
  if ((await daemonProcess(context)) === null) {
    context.progress(`rdd daemon of instance ${context.instance} is not running; starting it`);
  }
  return (await startDaemon(context, timeoutMs, { wait: true, reportRunning: false })) as DaemonStatus;
}

/**
 * For reads: the daemon must already live. One that lives but is busy (restarting its bus, stopped for
 * a moment) is waited for like `ensureDaemon` does; none at all, or one on its way out, is Unavailable,
 * saying how to start it — a read never starts a daemon (and with it the engine), nor creates an
 * instance for a mistyped name.
 */
export async function requireDaemon(context: InstanceContext, timeoutMs = 90_000): Promise<DaemonStatus> {
  const found = await daemonProcess(context);
  if (found === null) throw new ApiError('Unavailable', notRunningMessage(context.instance));
  if (found.stopping) throw new ApiError('Unavailable', notRunningMessage(context.instance, 'it is stopping'));
  return (await startDaemon(context, timeoutMs, { wait: true, reportRunning: false })) as DaemonStatus;
}

/** How long a read's first request may go unanswered before it waits for the daemon as requireDaemon does. */
const firstAnswerMs = 1_000;

/**
 * One request of a read, on one connection when the daemon answers at once (the common case: no status
 * round trip before it). No answer — nothing listening, no reply within a second, the bus unreachable —
 * falls back to {@link requireDaemon}'s wait for a daemon that is alive but busy, with its messages,
 * then asks again. An answer, an error included, is the daemon's and is returned or thrown as it is.
 */
export async function readFromDaemon<E extends EndpointName>(
  context: InstanceContext,
  endpoint: E,
  request: RequestOf<E>,
): Promise<ReplyOf<E>> {
  const found = await daemonProcess(context);
  if (found && !found.stopping) {
    let nc: NatsConnection | undefined;
    try {
      let api: ApiClient;
      ({ nc, api } = await connectToDaemon(context));
      return await api.request(endpoint, request, firstAnswerMs);
    } catch (error) {
      if (!(error instanceof ApiError) || !unanswered.has(error.code)) throw error;
    } finally {
      await nc?.close();
    }
  }
  await requireDaemon(context);
  const { nc, api } = await connectToDaemon(context);
  try {
    return await api.request(endpoint, request);
  } finally {
    await nc.close();
  }
}

/** What a request that got no answer throws (ApiClient.request, connectBus). */
const unanswered = new Set<string>(['Unavailable', 'Timeout']);

/** Asks the daemon to stop; after `timeoutMs` (0 = forever) falls back to SIGTERM, then SIGKILL. */
export async function stopDaemon(context: InstanceContext, timeoutMs: number): Promise<'stopped' | 'not-running'> {
  const found = await daemonProcess(context);
  if (found === null) return 'not-running';
  const { pid } = found;
  context.progress(`Stopping rdd daemon of instance ${context.instance} (pid ${pid})…`);
  try {
    const { nc, api } = await connectToDaemon(context);
    try {
      await api.request('svc.stop', {}, 5_000);
    } finally {
      await nc.close();
    }
  } catch (error) {
    context.progress(`the daemon did not take the stop request (${describeError(error)}); sending SIGTERM`);
    process.kill(pid, 'SIGTERM');
  }
  if (await waitForExit(pid, timeoutMs === 0 ? Number.MAX_SAFE_INTEGER : timeoutMs)) {
    context.progress(`Stopped rdd daemon of instance ${context.instance}`);
    return 'stopped';
  }
  context.progress(`rdd daemon did not stop within ${formatDuration(timeoutMs)}; terminating it`);
  if (!(await terminate(pid, 5_000))) throw new ApiError('Internal', `failed to stop rdd daemon (pid ${pid})`);
  return 'stopped';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
