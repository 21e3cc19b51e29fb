/**
 * Reaching, starting and stopping an instance's daemon from the CLI. The daemon is a separate process
 * (`bin/rdd-daemon`); the CLI finds it through the pid file and the bus credentials file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DaemonStatus } from '../protocol/api.schema.js';
import { ApiClient, connectBus, readCredentials } from '../protocol/client.js';
import { ApiError, describeError } from '../protocol/errors.js';
import type { InstancePaths } from '../protocol/instance.js';
import type { LogLevel } from '../protocol/logging.js';
import { isAlive, readPidFile, terminate, waitForExit } from '../protocol/processes.js';
import { formatDuration } from './duration.js';
import { WaitTimeoutError } from './exit-codes.js';

export interface InstanceContext {
  instance: string;
  paths: InstancePaths;
  logLevel: LogLevel;
  /** The package root, where `bin/rdd-daemon` lives. */
  root: string;
  progress: (line: string) => void;
}

export interface DaemonState {
  instance: string;
  created: boolean;
  running: boolean;
  pid: number | null;
  natsUrl: string | null;
  status: DaemonStatus | null;
}

export const daemonOutFile = 'daemon.out';

/** A connected API client; the caller closes `nc`. */
export async function connectToDaemon(
  context: InstanceContext,
  options: { reconnect?: boolean } = {},
): Promise<{ nc: NatsConnection; api: ApiClient }> {
  const creds = await readCredentials(context.paths.creds_file);
  const nc = await connectBus(creds, options);
  return { nc, api: new ApiClient(nc, context.instance) };
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
  try {
    return await connectBus(await readCredentials(context.paths.creds_file), options);
  } catch (error) {
    throw new ApiError('Unavailable', notRunningMessage(context.instance, describeError(error)));
  }
}

export async function daemonState(context: InstanceContext): Promise<DaemonState> {
  const created = fs.existsSync(context.paths.dir);
  const recorded = await readPidFile(context.paths.pid_file);
  const pid = recorded !== null && isAlive(recorded) ? recorded : null;
  const base = { instance: context.instance, created, pid, running: false, natsUrl: null, status: null };
  if (pid === null) return base;
  const status = await askStatus(context, 2_000);
  return status ? { ...base, running: true, natsUrl: status.natsUrl, status } : base;
}

async function askStatus(context: InstanceContext, timeoutMs: number): Promise<DaemonStatus | null> {
  let nc: NatsConnection | undefined;
  try {
    ({ nc } = await connectToDaemon(context));
    return await new ApiClient(nc, context.instance).request('svc.status', {}, timeoutMs);
  } catch {
    return null;
  } finally {
    await nc?.close();
  }
}

/**
 * Starts a detached daemon unless one answers already, and waits (bounded; 0 = forever) until its API
 * answers. A daemon that exits early fails at once with what it printed.
 */
export async function startDaemon(
  context: InstanceContext,
  timeoutMs: number,
  wait = true,
): Promise<DaemonStatus | null> {
  const before = await daemonState(context);
  if (before.running && before.status) {
    context.progress(`rdd daemon of instance ${context.instance} is already running (pid ${before.status.pid})`);
    return before.status;
  }
  // The daemon makes and checks its directories itself; the CLI needs the log dir only to hand it an
  // output file that outlives this command.
  fs.mkdirSync(context.paths.log_dir, { recursive: true, mode: 0o700 });
  const outFile = path.join(context.paths.log_dir, daemonOutFile);
  const startOffset = fs.existsSync(outFile) ? fs.statSync(outFile).size : 0;
  const out = fs.openSync(outFile, 'a', 0o600);
  context.progress(`Starting rdd daemon of instance ${context.instance}…`);
  const child = spawn(process.execPath, [path.join(context.root, 'bin', 'rdd-daemon'), ...daemonArgs(context)], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  let earlyExit: number | null = null;
  child.once('exit', (code) => (earlyExit = code ?? 1));
  child.unref();
  if (!wait) {
    context.progress(`Spawned rdd daemon of instance ${context.instance} (pid ${child.pid}); not waiting for it`);
    return null;
  }

  const deadline = timeoutMs === 0 ? Infinity : Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await askStatus(context, 1_000);
    if (status) {
      context.progress(`Started rdd daemon of instance ${context.instance} (pid ${status.pid}) at ${status.natsUrl}`);
      return status;
    }
    if (earlyExit !== null && earlyExit !== 0) {
      throw new Error(`rdd daemon of instance ${context.instance} failed to start: ${readFrom(outFile, startOffset)}`);
    }
    await sleep(150);
  }
  throw new WaitTimeoutError(
    `timed out after ${formatDuration(timeoutMs)} waiting for the rdd daemon of instance ${context.instance} to answer; see ${outFile} and ${context.paths.log_dir}`,
  );
}

/** Starts the daemon if it is not running, saying so on stderr; for commands that need it. */
export async function ensureDaemon(context: InstanceContext, timeoutMs = 90_000): Promise<DaemonStatus> {
  const state = await daemonState(context);
  if (state.running && state.status) return state.status;
  context.progress(`rdd daemon of instance ${context.instance} is not running; starting it`);
  return (await startDaemon(context, timeoutMs)) as DaemonStatus;
}

/** Asks the daemon to stop; after `timeoutMs` (0 = forever) falls back to SIGTERM, then SIGKILL. */
export async function stopDaemon(context: InstanceContext, timeoutMs: number): Promise<'stopped' | 'not-running'> {
  const pid = await readPidFile(context.paths.pid_file);
  if (pid === null || !isAlive(pid)) return 'not-running';
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

function daemonArgs(context: InstanceContext): string[] {
  return ['--instance', context.instance, '--log-level', context.logLevel];
}

function readFrom(file: string, offset: number): string {
  try {
    return fs.readFileSync(file).subarray(offset).toString('utf8').trim() || '(it printed nothing)';
  } catch {
    return '(no output)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
