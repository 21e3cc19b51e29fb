/**
 * The `dockerd` driver (Linux, root or not): the "VM" is a dockerd rdd starts under RootlessKit, in a
 * user and network namespace of its own (slirp4netns carries its traffic), with its own data-root,
 * exec-root (so its own containerd), pidfile, socket and config. Its bridge, iptables rules, NAT and
 * IP forwarding all live inside that namespace: containers get outbound networking and published ports
 * (RootlessKit's port driver), while the host's firewall and a system dockerd are never touched.
 *
 * This is the only dockerd mode. The former root-only mode (a host bridge, `--iptables=false`) gave
 * containers no network, and turning its iptables on would have written the host's firewall and fought
 * a system dockerd; all it had over this one is cgroup limits on cgroup-v1 hosts (here rootless dockerd
 * runs with `Cgroup Driver: none`, so `--memory` and the like are accepted but not enforced) and no
 * need for a subuid range — not enough to keep a second driver.
 *
 * A daemon killed outright leaves the engine running; the next daemon adopts it through the pid file.
 */
import type { ChildProcess } from 'node:child_process';
import fsp from 'node:fs/promises';
import type { Logger } from 'winston';
import { describeError } from '../../../protocol/errors.js';
import { commandLine, isAlive, readPidFile } from '../../../host/processes.js';
import type { EngineHandle, VmConfig, VmDriver } from '../driver.js';
import { dockerdArgs, dockerdLayout, isDockerdFor, type DockerdLayout } from './dockerd-args.js';
import { waitForEngine } from './engine-ping.js';
import { millisecondsFromEnv } from './environment.js';
import { abortReason, DriverUnavailableError, EngineStartError } from './errors.js';
import { appendLine, rotateIfLarge, tailLines, withTail } from './log-file.js';
import { describeMissing, gatherRootlessFacts, missingPrerequisites } from './rootless-prerequisites.js';
import { ourDockerdPid, spawnRootlessDockerd, stopEngineTree, type Binaries } from './rootless-engine.js';
import { watchUntil } from './watch.js';

const defaultStartTimeoutMs = 60_000;
const adoptPingTimeoutMs = 5_000;
const enginePollMs = 500;
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

/** Everything the driver needs, found before anything is spawned; all that is missing, named at once. */
async function requirePrerequisites(env: NodeJS.ProcessEnv): Promise<Binaries> {
  const facts = await gatherRootlessFacts(env);
  const missing = missingPrerequisites(facts);
  if (missing.length > 0 || !facts.dockerd.found || !facts.rootlesskit) {
    throw new DriverUnavailableError('dockerd', describeMissing(missing));
  }
  return { dockerd: facts.dockerd.found, rootlesskit: facts.rootlesskit };
}

async function startDockerd(
  config: VmConfig,
  signal: AbortSignal,
  tracked: Map<string, Tracked>,
): Promise<EngineHandle> {
  const { logger } = config;
  const binaries = await requirePrerequisites(config.env);
  const layout = dockerdLayout(config.paths);
  signal.throwIfAborted();

  const adoptedPid = await findAdoptable(layout, logger);
  if (adoptedPid !== null) {
    const watch = watchUntil(
      () =>
        isAlive(adoptedPid) ? null : `dockerd (pid ${adoptedPid}) exited (it was adopted, so its status is unknown)`,
      enginePollMs,
    );
    tracked.set(layout.dataRoot, { pid: adoptedPid, stopping: false, cancelWatch: watch.cancel });
    logger.info(`Adopted dockerd (pid ${adoptedPid}) on ${layout.socket}`);
    return { socket: layout.socket, pid: adoptedPid, adopted: true, died: watch.died };
  }

  await prepareDirectories(config, layout);
  // An engine that died outright (no live one was found above) may have left its containerd — which
  // the new dockerd would try to reuse —, containers, and a rootlesskit or its state.
  await stopEngineTree(layout, logger);
  signal.throwIfAborted();
  const args = dockerdArgs(layout);
  await rotateIfLarge(layout.logFile, maxLogBytes);
  await appendLine(layout.logFile, `starting ${binaries.dockerd} ${args.join(' ')} under ${binaries.rootlesskit}`);
  logger.info(`Starting dockerd under rootlesskit on ${layout.socket}…`);

  let child: ChildProcess;
  try {
    child = await spawnRootlessDockerd(binaries, args, layout, config.env);
  } catch (error) {
    throw new EngineStartError('dockerd', `could not run ${binaries.rootlesskit}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const wrapperPid = child.pid as number;
  let exit: string | null = null;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, exitSignal) => {
      exit = describeExit(wrapperPid, code, exitSignal);
      resolve(exit);
    });
  });

  let pid: number;
  try {
    await waitForEngine(layout.socket, {
      timeoutMs: millisecondsFromEnv(config.env, 'RDD_DOCKERD_START_TIMEOUT_MS', defaultStartTimeoutMs),
      signal,
      isDead: () => exit,
    });
    // dockerd writes its pid file (its pid on the host: there is no pid namespace) before it listens.
    const found = await ourDockerdPid(layout);
    if (found === null) throw new Error(`dockerd answers on ${layout.socket} but ${layout.pidFile} names no dockerd`);
    pid = found;
  } catch (error) {
    await abandonStart(exited, layout, logger);
    if (signal.aborted) throw abortReason(signal, 'starting dockerd');
    const tail = await tailLines(layout.logFile, logTailLines);
    throw new EngineStartError('dockerd', withTail((error as Error).message, layout.logFile, tail), { cause: error });
  }

  // dockerd is not our child (rootlesskit is): its end shows either as rootlesskit exiting or as its pid going.
  const watch = watchUntil(() => (isAlive(pid) ? null : `dockerd (pid ${pid}) exited`), enginePollMs);
  const entry: Tracked = { pid, stopping: false, cancelWatch: watch.cancel };
  tracked.set(layout.dataRoot, entry);
  const died = new Promise<Error>((resolve) => {
    let reported = false;
    const report = async (reason: string): Promise<void> => {
      if (entry.stopping || reported) return;
      reported = true;
      entry.cancelWatch();
      // A log that cannot be read must not keep the death unreported (nor reject where nobody listens).
      const tail = await tailLines(layout.logFile, logTailLines).catch(
        (error: unknown) => `(could not read it: ${describeError(error)})`,
      );
      logger.warn(withTail(reason, layout.logFile, tail));
      resolve(new Error(reason));
    };
    void exited.then((wrapperExit) => report(`dockerd (pid ${pid}) is gone: ${wrapperExit}`));
    void watch.died.then((error) => report(error.message));
  });
  logger.info(`Started dockerd (pid ${pid}, under rootlesskit pid ${wrapperPid}) on ${layout.socket}`);
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
    await stopEngineTree(layout, logger, pid).catch((stopError: Error) => {
      throw new EngineStartError('dockerd', `the earlier engine on ${layout.dataRoot}: ${stopError.message}`);
    });
    return null;
  }
}

async function prepareDirectories(config: VmConfig, layout: DockerdLayout): Promise<void> {
  for (const dir of [config.paths.dir, config.paths.run_dir, config.paths.log_dir]) {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  }
  await fsp.mkdir(layout.runtimeDir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing dir's mode alone; dockerd's runtime dir must be private.
  await fsp.chmod(layout.runtimeDir, 0o700);
  await fsp.writeFile(layout.configFile, '{}\n', { mode: 0o600 });
}

/** Undoes a start that failed or was cancelled: the half-started engine and its leftovers. */
async function abandonStart(exited: Promise<string>, layout: DockerdLayout, logger: Logger): Promise<void> {
  try {
    await stopEngineTree(layout, logger);
  } catch (error) {
    logger.error(`after a failed start: ${(error as Error).message}`);
    return;
  }
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
}

async function stopDockerd(config: VmConfig, tracked: Map<string, Tracked>): Promise<void> {
  const layout = dockerdLayout(config.paths);
  const entry = tracked.get(layout.dataRoot);
  if (entry) {
    entry.stopping = true;
    entry.cancelWatch();
  }
  // Also without an entry: a daemon that never started this engine (it crashed before adopting it)
  // must still be able to stop it, found through the pid files.
  await stopEngineTree(layout, config.logger, entry?.pid);
  tracked.delete(layout.dataRoot);
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
    ? `rootlesskit (pid ${pid}), which runs dockerd, exited with code ${code}`
    : `rootlesskit (pid ${pid}), which runs dockerd, exited with signal ${signal}`;
}
