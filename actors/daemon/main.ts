/**
 * The daemon process (`bin/rdd-daemon`, started by `rdd svc start|run`). It owns one instance: takes
 * the instance lock, prepares the directories, runs the root supervisor, and stops it in reverse order
 * on SIGTERM/SIGINT or an `svc.stop` request. Exit codes: 0 stopped (or another daemon already runs),
 * 1 failed to start or gave up, 2 bad arguments.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Logger } from 'winston';
import { writeDaemonFile, type DaemonFile } from '../../host/daemon-file.js';
import { describeError } from '../../protocol/errors.js';
import { instancePaths, resolveInstance, type InstancePaths } from '../../protocol/instance.js';
import { resolveLogLevel } from '../../protocol/logging.js';
import { rddVersion } from '../../host/version.js';
import { childRegistry } from '../api/child-registry.js';
import { createRootLogger } from '../logging.js';
import { Supervisor } from '../supervision/supervisor.js';
import type { StopReason, SupervisorDeps } from '../supervision/types.js';
import { daemonHandlers } from './handlers.js';
import { prepareInstanceDirs } from './instance-dirs.js';
import { acquirePidLock } from './pid-lock.js';
import { rootSupervisorSpec } from './root.supervisor.js';
import { SupervisionView } from './supervision-view.js';
import { rootChildren } from './root-children.js';
import { BusTelemetry } from './telemetry.js';

async function main(argv: string[]): Promise<number> {
  let instance: string;
  let paths: InstancePaths;
  let logger: Logger;
  let foreground: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { instance: { type: 'string' }, 'log-level': { type: 'string' }, foreground: { type: 'boolean' } },
      strict: true,
    });
    instance = resolveInstance(values.instance, process.env);
    const level = resolveLogLevel(values['log-level'], process.env);
    foreground = values.foreground ?? false;
    paths = instancePaths(instance, { platform: process.platform, home: os.homedir(), env: process.env });
    await prepareInstanceDirs(paths);
    logger = createRootLogger({ level, logDir: paths.log_dir, console: foreground });
  } catch (error) {
    process.stderr.write(`rdd daemon: ${describeError(error)}\n`);
    return 2;
  }

  const lock = await acquirePidLock(paths.pid_file);
  if (!lock.acquired) {
    const holder = lock.holderPid === null ? '' : ` (pid ${lock.holderPid})`;
    process.stderr.write(`rdd daemon of instance ${instance} is already running${holder}\n`);
    return 0;
  }

  const startedAt = new Date().toISOString();
  const view = new SupervisionView();
  const telemetry = new BusTelemetry(instance, () => childRegistry((id) => root.lookup(id)).get(rootChildren.bus).nc);
  let exitCode: Promise<number> | undefined;
  let daemonFile: DaemonFile = {
    pid: process.pid,
    instance,
    version: rddVersion(),
    natsUrl: null,
    startedAt,
    phase: 'running',
  };
  // One write at a time, in order: the stopping mark must never be overwritten by a late running one.
  let daemonFileWrites = Promise.resolve();
  const recordDaemonFile = (content: DaemonFile): Promise<void> =>
    (daemonFileWrites = daemonFileWrites
      .then(() => writeDaemonFile(paths.daemon_file, content))
      .catch((error: unknown) => {
        logger.warn(`failed to write the daemon file: ${describeError(error)}`);
      }));
  // `shutdown` for a user's stop (svc.stop, a signal): the engine stops too. `restart` when the daemon
  // gives up by itself (a crash, a failed start): the engine keeps running for the next daemon to adopt.
  const shutdown = (code: number, reason: StopReason): Promise<number> =>
    (exitCode ??= (async () => {
      logger.info(
        `Stopping rdd daemon of instance ${instance}${reason === 'restart' ? ' (leaving the engine running)' : ''}…`,
      );
      // First, so `rdd svc start` waits for this exit instead of taking a stopping daemon for a live one.
      await recordDaemonFile({ ...daemonFile, phase: 'stopping' });
      await root
        .stop(reason)
        .catch((error: unknown) => logger.error(`failed to stop cleanly: ${describeError(error)}`));
      await daemonFileWrites;
      // Logged, not thrown: a rejection here would reach the uncaught handler and make a clean stop exit 1.
      await fs
        .rm(paths.daemon_file, { force: true })
        .catch((error: unknown) => logger.warn(`failed to remove the daemon file: ${describeError(error)}`));
      await lock
        .release()
        .catch((error: unknown) => logger.warn(`failed to release the instance lock: ${describeError(error)}`));
      logger.info(`Stopped rdd daemon of instance ${instance}`);
      return code;
    })());

  const deps: SupervisorDeps = {
    logger,
    registry: new Map(),
    report: (event) => {
      view.record(event);
      telemetry.publish(event);
    },
  };
  const root: Supervisor = new Supervisor(
    rootSupervisorSpec({
      instance,
      paths,
      env: process.env,
      deps,
      handlers: daemonHandlers({
        instance,
        version: rddVersion(),
        startedAt,
        children: () => view.snapshot(),
        requestShutdown: () => void shutdown(0, 'shutdown').then((code) => exitAfterFlush(logger, code)),
      }),
    }),
    deps,
  );
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(0, 'shutdown').then((code) => exitAfterFlush(logger, code)));
  }
  process.on('uncaughtException', (error) => {
    logger.error(`uncaught exception, stopping: ${error.stack ?? error.message}`);
    void shutdown(1, 'restart').then((code) => exitAfterFlush(logger, code));
  });

  logger.info(`Starting rdd daemon ${rddVersion()} for instance ${instance} (pid ${process.pid})…`);
  try {
    await root.start();
  } catch (error) {
    logger.error(`rdd daemon failed to start: ${describeError(error)}`);
    if (!foreground) process.stderr.write(`rdd daemon failed to start: ${describeError(error)}\n`);
    return exitAfterFlush(logger, await shutdown(1, 'restart'));
  }
  const bus = childRegistry((id) => root.lookup(id)).get(rootChildren.bus);
  daemonFile = { ...daemonFile, natsUrl: bus.creds.url };
  // A stop that came while the root started has marked the file already; leave that mark.
  if (exitCode === undefined) await recordDaemonFile(daemonFile);
  logger.info(`Started rdd daemon for instance ${instance}; bus at ${bus.creds.url}`);

  const exit = await root.exited;
  if (exit.kind === 'crash') logger.error(`rdd daemon gave up: ${exit.error.message}`);
  // After a signal or svc.stop, shutdown() is already under way and this joins it.
  return exitAfterFlush(logger, await (exit.kind === 'crash' ? shutdown(1, 'restart') : shutdown(0, 'shutdown')));
}

/** The one way out once the logger exists: let winston flush the file log, then exit. */
async function exitAfterFlush(logger: Logger, code: number): Promise<never> {
  await new Promise<void>((resolve) => {
    logger.on('finish', resolve);
    logger.end();
    setTimeout(resolve, 500).unref();
  });
  process.exit(code);
}

// main() itself exits once its logger exists; it returns only for the early exits before that.
void main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`rdd daemon crashed: ${describeError(error)}\n`);
    process.exit(1);
  },
);
