/**
 * The daemon as a process, seen from the CLI: which pid is this instance's daemon, whether its API
 * answers, and spawning a new one. The decisions (wait, start, stop) are in daemon-control.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DaemonStatus } from '../protocol/api.schema.js';
import type { InstancePaths } from '../protocol/instance.js';
import type { LogLevel } from '../protocol/logging.js';
import { ApiClient, connectBus, readCredentials } from '../client/api-client.js';
import { readDaemonFile } from '../host/daemon-file.js';
import { commandLine, isAlive, readPidFile } from '../host/processes.js';

export interface InstanceContext {
  instance: string;
  paths: InstancePaths;
  logLevel: LogLevel;
  /** The package root, where `bin/rdd-daemon` lives. */
  root: string;
  progress: (line: string) => void;
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

/** The daemon's status, or null when it does not answer within `timeoutMs` (or has no bus). */
export async function askStatus(context: InstanceContext, timeoutMs: number): Promise<DaemonStatus | null> {
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

/** The instance's daemon process as its files tell, without asking its API. */
export interface DaemonProcess {
  pid: number;
  /** Its shutdown has begun: it will exit, and must not be taken for a running daemon. */
  stopping: boolean;
}

/**
 * The live daemon named by the pid file, or null. A pid recycled by some other program (the pid file
 * of a daemon killed outright) is not ours: its command line must be this instance's daemon.
 */
export async function daemonProcess(context: InstanceContext): Promise<DaemonProcess | null> {
  const pid = await readPidFile(context.paths.pid_file);
  if (pid === null || !isAlive(pid) || !isDaemonCommand(await commandLine(pid), context.instance)) return null;
  const file = await readDaemonFile(context.paths.daemon_file);
  return { pid, stopping: file?.pid === pid && file.phase === 'stopping' };
}

function isDaemonCommand(command: string | null, instance: string): boolean {
  return command !== null && command.includes('rdd-daemon') && `${command} `.includes(`--instance ${instance} `);
}

export interface SpawnedDaemon {
  readonly pid: number | undefined;
  /** Its exit code once it has exited, else null. */
  exitCode(): number | null;
  /** What it printed since it was spawned (its early errors). */
  output(): string;
  readonly outFile: string;
}

/** Spawns a detached daemon whose output goes to `daemon.out` in the log dir. */
export function spawnDaemon(context: InstanceContext): SpawnedDaemon {
  // The daemon makes and checks its directories itself; the CLI needs the log dir only to hand it an
  // output file that outlives this command.
  fs.mkdirSync(context.paths.log_dir, { recursive: true, mode: 0o700 });
  const outFile = path.join(context.paths.log_dir, daemonOutFile);
  const startOffset = fs.existsSync(outFile) ? fs.statSync(outFile).size : 0;
  const out = fs.openSync(outFile, 'a', 0o600);
  const child = spawn(
    process.execPath,
    [path.join(context.root, 'bin', 'rdd-daemon'), '--instance', context.instance, '--log-level', context.logLevel],
    { detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? 1));
  child.unref();
  return { pid: child.pid, exitCode: () => exitCode, output: () => readFrom(outFile, startOffset), outFile };
}

function readFrom(file: string, offset: number): string {
  try {
    return fs.readFileSync(file).subarray(offset).toString('utf8').trim() || '(it printed nothing)';
  } catch {
    return '(no output)';
  }
}
