/**
 * The nats-server child process: its config (0600, so the passwords never appear in argv or `ps`), its
 * start and readiness, and its stop. nats-server writes and rotates its own log in the log dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import type { Logger } from 'winston';
import type { BusRole } from '../../protocol/credentials.js';
import { isAlive, stopProcessFromPidFile, terminate } from '../../host/processes.js';
import { authorizationConfig, type RoleCredentials } from './bus-permissions.js';

export interface NatsServerSettings {
  binary: string;
  port: number;
  storeDir: string;
  configFile: string;
  pidFile: string;
  logFile: string;
  instance: string;
  users: Record<BusRole, RoleCredentials>;
  /** The largest message the server accepts; NATS's 1 MiB when absent (tests lower it to split replies). */
  maxPayloadBytes?: number;
}

export interface NatsServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NatsServerProcess {
  readonly pid: number;
  readonly url: string;
  /** Settles when the process ends, for whatever reason. */
  readonly exited: Promise<NatsServerExit>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
  kill(): void;
}

export class NatsServerNotFoundError extends Error {
  override readonly name = 'NatsServerNotFoundError';
  constructor(binary: string) {
    super(
      `nats-server not found (tried ${JSON.stringify(binary)}): install it (Debian: apt-get install nats-server; ` +
        'macOS: brew install nats-server), set RDD_NATS_SERVER to its path, or point rdd at a running server with RDD_NATS_URL',
    );
  }
}

export function natsServerConfig(settings: Omit<NatsServerSettings, 'binary' | 'configFile'>): string {
  const quote = (value: string): string => JSON.stringify(value);
  return [
    '# Written by rdd for this instance; regenerated at every start.',
    `listen: ${quote(`127.0.0.1:${settings.port}`)}`,
    `jetstream { store_dir: ${quote(settings.storeDir)} }`,
    authorizationConfig(settings.instance, settings.users),
    ...(settings.maxPayloadBytes === undefined ? [] : [`max_payload: ${settings.maxPayloadBytes}`]),
    `pid_file: ${quote(settings.pidFile)}`,
    `log_file: ${quote(settings.logFile)}`,
    'logfile_size_limit: 10MB',
    '',
  ].join('\n');
}

/** Writes the config and spawns the server; resolves once the process runs (not yet necessarily ready). */
export async function spawnNatsServer(settings: NatsServerSettings, logger: Logger): Promise<NatsServerProcess> {
  await fs.writeFile(settings.configFile, natsServerConfig(settings), { mode: 0o600 });
  await fs.chmod(settings.configFile, 0o600);
  // Its own process group: a Ctrl-C on a foreground daemon must not reach the server before the
  // daemon has drained its connection and stops it in order.
  const child: ChildProcess = spawn(settings.binary, ['-c', settings.configFile], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2_000);
  });
  const exited = new Promise<NatsServerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      if (stderrTail.trim()) logger.warn(`nats-server said: ${stderrTail.trim()}`);
      resolve({ code, signal });
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new NatsServerNotFoundError(settings.binary) : error),
    );
  });
  const pid = child.pid as number;
  logger.info(`Started nats-server (pid ${pid}) on 127.0.0.1:${settings.port}`);
  return {
    pid,
    url: `nats://127.0.0.1:${settings.port}`,
    exited,
    stop: async (graceMs) => {
      await terminate(pid, graceMs);
      await exited;
    },
    kill: () => {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}

/**
 * A daemon killed with SIGKILL leaves its nats-server running on the store. Before starting a new one,
 * stop that one — but only if the pid file's process really is a nats-server using our config.
 */
export async function stopLeftoverServer(pidFile: string, configFile: string, logger: Logger): Promise<void> {
  const pid = await stopProcessFromPidFile(pidFile, ['nats-server', configFile], 5_000);
  if (pid !== null) logger.warn(`Stopped the nats-server left over by an earlier daemon (pid ${pid})`);
}

/** The last lines of the server's log, to explain a failed start. */
export async function logTail(logFile: string, lines = 8): Promise<string> {
  try {
    return (await fs.readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
