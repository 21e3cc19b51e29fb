/**
 * The `dockerd` driver (Linux, root): the "VM" is a dockerd rdd starts beside any system dockerd, with
 * its own data-root, exec-root (so its own containerd), pidfile, socket, config and bridge. A daemon
 * killed outright leaves it running; the next daemon adopts it through the pid file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Logger } from 'winston';
import { commandLine, isAlive, readPidFile, terminate } from '../../../protocol/processes.js';
import type { EngineHandle, VmConfig, VmDriver } from '../driver.js';
import { bridgeName, ensureBridge, removeBridge, type Bridge } from './bridge.js';
import { dockerdArgs, dockerdLayout, isDockerdFor, type DockerdLayout } from './dockerd-args.js';
import { stopDockerdLeftovers } from './dockerd-leftovers.js';
import { waitForEngine } from './engine-ping.js';
import { childEnv, findExecutable, millisecondsFromEnv } from './environment.js';
import { abortReason, DriverUnavailableError, EngineStartError, EngineStopError } from './errors.js';
import { appendLine, rotateIfLarge, tailLines, withTail } from './log-file.js';
import { watchUntil } from './watch.js';

const defaultStartTimeoutMs = 60_000;
/** dockerd stops its containers before it exits; give it time to, as `docker stop` would. */
const stopGraceMs = 20_000;
const adoptPingTimeoutMs = 5_000;
const adoptedPollMs = 500;
const logTailLines = 15;
const maxLogBytes = 20 * 1024 * 1024;

/** A dockerd this process started or adopted, until stop() ends it. */
interface Tracked {
  readonly pid: number;
  /** Set by stop(), so the exit it causes is not reported as a death. */
  stopping: boolean;
  readonly cancelWatch: () => void;
}

export function dockerdDriver(): VmDriver {
  // Keyed by data-root: the one thing two dockerds must never share.
  const tracked = new Map<string, Tracked>();
  return {
    name: 'dockerd',
    start: (config, signal) => startDockerd(config, signal, tracked),
    stop: (config) => stopDockerd(config, tracked),
    detach: (config) => detachDockerd(config, tracked),
    fingerprint: () => null,
  };
}

async function startDockerd(
  config: VmConfig,
  signal: AbortSignal,
  tracked: Map<string, Tracked>,
): Promise<EngineHandle> {
  const { logger } = config;
  if (process.getuid?.() !== 0) {
    throw new DriverUnavailableError(
      'dockerd',
      'the dockerd driver needs root (it creates a bridge and runs containers): run rdd as root, or use vm.driver=lima or vm.driver=external',
    );
  }
  const wanted = config.env.RDD_DOCKERD || 'dockerd';
  const binary = await findExecutable(wanted, config.env);
  if (!binary) {
    throw new DriverUnavailableError(
      'dockerd',
      `dockerd not found (tried ${JSON.stringify(wanted)}): install it (Debian: apt-get install docker.io) or set RDD_DOCKERD to its path`,
    );
  }
  const layout = dockerdLayout(config.paths);
  signal.throwIfAborted();

  const adoptedPid = await findAdoptable(layout, logger);
  if (adoptedPid !== null) {
    const watch = watchUntil(
      () =>
        isAlive(adoptedPid) ? null : `dockerd (pid ${adoptedPid}) exited (it was adopted, so its status is unknown)`,
      adoptedPollMs,
    );
    tracked.set(layout.dataRoot, { pid: adoptedPid, stopping: false, cancelWatch: watch.cancel });
    logger.info(`Adopted dockerd (pid ${adoptedPid}) on ${layout.socket}`);
    return { socket: layout.socket, pid: adoptedPid, adopted: true, died: watch.died };
  }

  await prepareDirectories(config, layout);
  // A dockerd that died outright (no live one was found above) may have left its containerd — which
  // the new dockerd would try to reuse — containers and mounts.
  await stopDockerdLeftovers(layout, logger);
  signal.throwIfAborted();
  const bridge = await ensureBridge(config.paths.dir, logger);
  const args = dockerdArgs(layout, bridge.name);
  await rotateIfLarge(layout.logFile, maxLogBytes);
  await appendLine(layout.logFile, `starting ${binary} ${args.join(' ')}`);
  logger.info(`Starting dockerd on ${layout.socket} (bridge ${bridge.name} ${bridge.address})…`);

  let child: ChildProcess;
  try {
    child = await spawnDockerd(binary, args, layout, config.env);
  } catch (error) {
    await removeBridge(bridge.name).catch(() => false);
    throw new EngineStartError('dockerd', `could not run ${binary}: ${(error as Error).message}`, { cause: error });
  }
  const pid = child.pid as number;
  let exit: string | null = null;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, exitSignal) => {
      exit = describeExit(pid, code, exitSignal);
      resolve(exit);
    });
  });

  try {
    await waitForEngine(layout.socket, {
      timeoutMs: millisecondsFromEnv(config.env, 'RDD_DOCKERD_START_TIMEOUT_MS', defaultStartTimeoutMs),
      signal,
      isDead: () => exit,
    });
  } catch (error) {
    await abandonStart(pid, exited, layout, bridge, logger);
    if (signal.aborted) throw abortReason(signal, 'starting dockerd');
    const tail = await tailLines(layout.logFile, logTailLines);
    throw new EngineStartError('dockerd', withTail((error as Error).message, layout.logFile, tail), { cause: error });
  }

  const entry: Tracked = { pid, stopping: false, cancelWatch: () => undefined };
  tracked.set(layout.dataRoot, entry);
  const died = new Promise<Error>((resolve) => {
    void exited.then(async (reason) => {
      if (entry.stopping) return;
      logger.warn(withTail(reason, layout.logFile, await tailLines(layout.logFile, logTailLines)));
      resolve(new Error(reason));
    });
  });
  logger.info(`Started dockerd (pid ${pid}) on ${layout.socket}`);
  return { socket: layout.socket, pid, adopted: false, died };
}

/**
 * The live dockerd on our data-root that a previous daemon left, if it still answers. One that is alive
 * but mute is stopped (two dockerds must never share a data-root); a pid file naming anything else is
 * stale and removed, since dockerd refuses to start while its pid file names a live process.
 */
async function findAdoptable(layout: DockerdLayout, logger: Logger): Promise<number | null> {
  const pid = await readPidFile(layout.pidFile);
  if (pid === null) return null;
  const command = isAlive(pid) ? await commandLine(pid) : null;
  if (command === null || !isDockerdFor(command, layout)) {
    await fsp.rm(layout.pidFile, { force: true });
    return null;
  }
  try {
    await waitForEngine(layout.socket, { timeoutMs: adoptPingTimeoutMs });
    return pid;
  } catch (error) {
    logger.warn(`The dockerd left running (pid ${pid}) does not answer (${(error as Error).message}); stopping it`);
    if (!(await terminate(pid, stopGraceMs))) {
      throw new EngineStartError('dockerd', `the earlier dockerd (pid ${pid}) on ${layout.dataRoot} survived SIGKILL`);
    }
    await stopDockerdLeftovers(layout, logger);
    return null;
  }
}

async function prepareDirectories(config: VmConfig, layout: DockerdLayout): Promise<void> {
  for (const dir of [config.paths.dir, config.paths.run_dir, config.paths.log_dir]) {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  }
  await fsp.writeFile(layout.configFile, '{}\n', { mode: 0o600 });
}

async function spawnDockerd(
  binary: string,
  args: string[],
  layout: DockerdLayout,
  env: NodeJS.ProcessEnv,
): Promise<ChildProcess> {
  const out = fs.openSync(layout.logFile, 'a', 0o600);
  try {
    // Its own process group: a Ctrl-C on a foreground daemon must not reach dockerd before the daemon
    // decides to stop it (or to leave it running for the next daemon to adopt).
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', out, out], env: childEnv(env) });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return child;
  } finally {
    fs.closeSync(out);
  }
}

/** Undoes a start that failed or was cancelled: the half-started dockerd, its leftovers, our bridge. */
async function abandonStart(
  pid: number,
  exited: Promise<string>,
  layout: DockerdLayout,
  bridge: Bridge,
  logger: Logger,
): Promise<void> {
  if (isAlive(pid) && !(await terminate(pid, stopGraceMs))) {
    logger.error(`dockerd (pid ${pid}) survived SIGKILL after a failed start`);
    return;
  }
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  await stopDockerdLeftovers(layout, logger);
  // Ours even when an earlier run created it: no dockerd of this instance is left to use it.
  await removeBridge(bridge.name).catch(() => false);
}

async function stopDockerd(config: VmConfig, tracked: Map<string, Tracked>): Promise<void> {
  const { logger } = config;
  const layout = dockerdLayout(config.paths);
  const entry = tracked.get(layout.dataRoot);
  if (entry) {
    entry.stopping = true;
    entry.cancelWatch();
  }
  // Also without an entry: a daemon that never started this dockerd (it crashed before adopting it)
  // must still be able to stop it, found through the pid file.
  const candidate = entry?.pid ?? (await readPidFile(layout.pidFile));
  const command = candidate !== null && isAlive(candidate) ? await commandLine(candidate) : null;
  if (candidate !== null && command !== null && isDockerdFor(command, layout)) {
    logger.info(`Stopping dockerd (pid ${candidate})…`);
    if (!(await terminate(candidate, stopGraceMs))) {
      throw new EngineStopError('dockerd', `dockerd (pid ${candidate}) survived SIGKILL`);
    }
    logger.info(`Stopped dockerd (pid ${candidate})`);
  }
  tracked.delete(layout.dataRoot);
  await stopDockerdLeftovers(layout, logger);
  if (await removeBridge(bridgeName(config.paths.dir))) logger.info(`Removed bridge ${bridgeName(config.paths.dir)}`);
}

/** Forgets our dockerd (it keeps running); the next start() finds it through its pid file and adopts it. */
function detachDockerd(config: VmConfig, tracked: Map<string, Tracked>): void {
  const layout = dockerdLayout(config.paths);
  const entry = tracked.get(layout.dataRoot);
  if (!entry) return;
  // Not a death either: whoever adopts it watches it from now on.
  entry.stopping = true;
  entry.cancelWatch();
  tracked.delete(layout.dataRoot);
  config.logger.info(`Detached from dockerd (pid ${entry.pid}); it keeps running for the next VM actor to adopt`);
}

function describeExit(pid: number, code: number | null, signal: NodeJS.Signals | null): string {
  return code !== null
    ? `dockerd (pid ${pid}) exited with code ${code}`
    : `dockerd (pid ${pid}) exited with signal ${signal}`;
}
