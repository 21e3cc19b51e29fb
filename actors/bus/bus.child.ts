/**
 * The bus: the instance's NATS server (spawned and owned here, or an existing one named by
 * RDD_NATS_URL) and the daemon's connection to it. Later siblings look up its {@link Bus} value.
 * A server death is this child's crash; its supervisor restarts it on the same port, so clients that
 * keep reconnecting (CLI watchers) find it again, and the file store keeps every KV value.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import {
  busCredentialsSchema,
  busRoles,
  connectionAuth,
  type BusCredentials,
  type BusRole,
} from '../../protocol/credentials.js';
import { describeError, wrapError } from '../../protocol/errors.js';
import type { InstancePaths } from '../../protocol/instance.js';
import { freePort } from '../../host/processes.js';
import type { ChildSpec, Exit, Running } from '../supervision/types.js';
import { roleInboxPrefix, type RoleCredentials } from './bus-permissions.js';
import { logTail, spawnNatsServer, stopLeftoverServer, type NatsServerProcess } from './nats-server.js';

export interface Bus {
  readonly nc: NatsConnection;
  readonly creds: BusCredentials;
  /** The pid of the nats-server we run; absent when using an external server. */
  readonly serverPid?: number;
}

export interface BusOptions {
  instance: string;
  paths: InstancePaths;
  env: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

export const natsLogFile = 'nats-server.log';

export function busChild(options: BusOptions): ChildSpec<Bus> {
  return {
    id: 'bus',
    restart: 'permanent',
    shutdownMs: 10_000,
    start: ({ logger }) => (options.env.RDD_NATS_URL ? attachExternal(options, logger) : runOwnServer(options, logger)),
  };
}

async function runOwnServer(
  { instance, paths, env, readyTimeoutMs = 20_000 }: BusOptions,
  logger: Logger,
): Promise<Running<Bus>> {
  const previous = await readOwnCredentials(paths);
  await stopLeftoverServer(paths.nats_pid_file, paths.nats_config, logger);
  const port = await freePort(previous.url ? Number(new URL(previous.url).port) : undefined);
  logger.info(`Starting nats-server on 127.0.0.1:${port}…`);
  const server = await spawnNatsServer(
    {
      binary: env.RDD_NATS_SERVER || 'nats-server',
      port,
      storeDir: paths.store_dir,
      configFile: paths.nats_config,
      pidFile: paths.nats_pid_file,
      logFile: path.join(paths.log_dir, natsLogFile),
      instance,
      users: previous.users,
    },
    logger,
  );
  const roleCreds = (role: BusRole): BusCredentials => {
    const inboxPrefix = roleInboxPrefix[role];
    return { url: server.url, ...previous.users[role], ...(inboxPrefix ? { inboxPrefix } : {}) };
  };
  const creds = roleCreds('daemon');
  let nc: NatsConnection;
  try {
    nc = await connectWhenReady(creds, server, readyTimeoutMs, path.join(paths.log_dir, natsLogFile));
  } catch (error) {
    server.kill();
    throw error;
  }
  for (const role of busRoles) await writeCredentials(credentialsFile(paths, role), roleCreds(role));
  logger.info(`Started bus at ${server.url}`);
  return supervise(nc, creds, logger, server);
}

/**
 * rdd cannot set up users on a server it does not run: every role's file gets the credentials it was
 * given, and what each may do is up to that server's administrator.
 */
async function attachExternal({ paths, env }: BusOptions, logger: Logger): Promise<Running<Bus>> {
  const url = env.RDD_NATS_URL as string;
  const creds = busCredentialsSchema.parse(
    env.RDD_NATS_TOKEN
      ? { url, token: env.RDD_NATS_TOKEN }
      : { url, user: env.RDD_NATS_USER ?? '', pass: env.RDD_NATS_PASSWORD ?? '' },
  );
  logger.info(`Connecting to the NATS server at ${url}…`);
  const nc = await connectDaemon(creds).catch((error: unknown) => {
    throw wrapError(`connect to RDD_NATS_URL ${url}`, error);
  });
  for (const role of busRoles) await writeCredentials(credentialsFile(paths, role), creds);
  logger.info(`Started bus at ${url} (external server; its own users and permissions apply)`);
  return supervise(nc, creds, logger);
}

/** Wires the connection (and our server, if any) into the supervision contract. */
function supervise(
  nc: NatsConnection,
  creds: BusCredentials,
  logger: Logger,
  server?: NatsServerProcess,
): Running<Bus> {
  let stopping = false;
  const died = (error: Error): Promise<Exit> => {
    if (stopping) return new Promise<Exit>(() => {});
    stopping = true;
    server?.kill();
    void nc.close();
    return Promise.resolve({ kind: 'crash', error });
  };
  const serverDeath = server
    ? server.exited.then((exit) => died(new Error(`nats-server exited (${exit.signal ?? `code ${exit.code}`})`)))
    : new Promise<Exit>(() => {});
  const connectionDeath = nc
    .closed()
    .then((error) => died(new Error(`the bus connection closed${error ? `: ${describeError(error)}` : ''}`)));
  return {
    value: server ? { nc, creds, serverPid: server.pid } : { nc, creds },
    exited: Promise.race([serverDeath, connectionDeath]),
    stop: async () => {
      stopping = true;
      await Promise.race([nc.drain().catch(() => nc.close()), delay(2_000)]);
      await server?.stop(5_000);
      logger.info('Stopped bus');
    },
    kill: () => {
      stopping = true;
      void nc.close();
      server?.kill();
    },
  };
}

function connectDaemon(creds: BusCredentials): Promise<NatsConnection> {
  return connect({
    servers: creds.url,
    ...connectionAuth(creds),
    name: 'rdd-daemon',
    // Every KV write is a request; an async stack trace for each cost more CPU than the write (bench).
    noAsyncTraces: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 2_000,
    timeout: 2_000,
  });
}

/** Ready = it accepts our authenticated connection; a server that exits first fails with its log. */
async function connectWhenReady(
  creds: BusCredentials,
  server: NatsServerProcess,
  timeoutMs: number,
  logFile: string,
): Promise<NatsConnection> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (!exited && Date.now() < deadline) {
    try {
      return await connectDaemon(creds);
    } catch (error) {
      lastError = error;
      await delay(100);
    }
  }
  const tail = await logTail(logFile);
  const why = exited ? 'nats-server exited before it was ready' : `nats-server was not ready after ${timeoutMs} ms`;
  throw new Error(`${why} (last error: ${describeError(lastError)})${tail ? `; its log ends:\n${tail}` : ''}`);
}

/** Where each role's credentials live (`rdd svc paths` names them). */
export function credentialsFile(paths: InstancePaths, role: BusRole): string {
  if (role === 'daemon') return paths.daemon_creds_file;
  return role === 'watch' ? paths.watch_creds_file : paths.creds_file;
}

const roleUsers: Record<BusRole, string> = { daemon: 'rdd-daemon', client: 'rdd-client', watch: 'rdd-watch' };

/**
 * The passwords and port of the last run, so a restarted server takes the same credentials and clients
 * that keep reconnecting find it again; a missing or foreign file gets a new password.
 */
async function readOwnCredentials(
  paths: InstancePaths,
): Promise<{ url?: string; users: Record<BusRole, RoleCredentials> }> {
  let url: string | undefined;
  const users = {} as Record<BusRole, RoleCredentials>;
  for (const role of busRoles) {
    const known = await readCredentialsFile(credentialsFile(paths, role));
    const reusable = known && 'user' in known && known.user === roleUsers[role] ? known : null;
    if (reusable && role === 'client') url = reusable.url;
    users[role] = { user: roleUsers[role], pass: reusable?.pass ?? crypto.randomBytes(24).toString('hex') };
  }
  return { url, users };
}

async function readCredentialsFile(file: string): Promise<BusCredentials | null> {
  try {
    const parsed = busCredentialsSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written to a temporary file first so a reader never sees half a file; 0600 from the start. */
async function writeCredentials(file: string, creds: BusCredentials): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(creds)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
