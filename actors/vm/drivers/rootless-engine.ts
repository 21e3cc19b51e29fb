/**
 * The process tree of the dockerd driver's engine: rootlesskit (the one rdd spawns), its namespace
 * child, slirp4netns, and dockerd inside with its containerd. Started in a process group of its own so
 * it outlives the daemon (a restarted daemon adopts it); stopped from dockerd down, making sure the
 * wrapper is gone too. Every pid comes from one of our pid files and is checked against its command
 * line before it is signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Logger } from 'winston';
import { commandLine, isAlive, readPidFile, terminate, waitForExit } from '../../../host/processes.js';
import { isDockerdFor, isRootlesskitFor, rootlesskitArgs, type DockerdLayout } from './dockerd-args.js';
import { stopDockerdLeftovers } from './dockerd-leftovers.js';
import { childEnv, rootlessPath } from './environment.js';
import { EngineStopError } from './errors.js';

/** dockerd stops its containers before it exits; give it time to, as `docker stop` would. */
export const stopGraceMs = 20_000;
/** rootlesskit and slirp4netns exit by themselves once dockerd has; this is how long that may take. */
const wrapperExitMs = 5_000;

export interface Binaries {
  readonly dockerd: string;
  readonly rootlesskit: string;
}

/** Spawns rootlesskit running dockerd with `args`, detached, its output appended to the engine log. */
export async function spawnRootlessDockerd(
  binaries: Binaries,
  args: readonly string[],
  layout: DockerdLayout,
  env: NodeJS.ProcessEnv,
): Promise<ChildProcess> {
  const out = fs.openSync(layout.logFile, 'a', 0o600);
  try {
    // Its own process group: a Ctrl-C on a foreground daemon must not reach the engine before the
    // daemon decides to stop it (or to leave it running for the next daemon to adopt).
    const child = spawn(binaries.rootlesskit, rootlesskitArgs(layout, binaries.dockerd, args), {
      detached: true,
      stdio: ['ignore', out, out],
      env: childEnv(env, { PATH: rootlessPath(env), XDG_RUNTIME_DIR: layout.runtimeDir }),
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    await fsp.writeFile(layout.rootlesskitPidFile, `${child.pid}\n`, { mode: 0o600 });
    return child;
  } finally {
    fs.closeSync(out);
  }
}

/** Our dockerd's pid from its pid file, or null when the file is missing or names anything else. */
export async function ourDockerdPid(layout: DockerdLayout, candidate?: number | null): Promise<number | null> {
  const pid = candidate ?? (await readPidFile(layout.pidFile));
  if (pid === null || !isAlive(pid)) return null;
  const command = await commandLine(pid);
  return command !== null && isDockerdFor(command, layout) ? pid : null;
}

async function ourRootlesskitPid(layout: DockerdLayout): Promise<number | null> {
  const pid = await readPidFile(layout.rootlesskitPidFile);
  if (pid === null || !isAlive(pid)) return null;
  const command = await commandLine(pid);
  return command !== null && isRootlesskitFor(command, layout) ? pid : null;
}

/**
 * Stops the whole tree: dockerd first (SIGTERM, so it stops its containers; SIGKILL after the grace),
 * then rootlesskit if it did not follow (slirp4netns goes with it), then whatever a dockerd killed
 * outright left (containerd, shims, containers), then RootlessKit's stale state dir.
 */
export async function stopEngineTree(
  layout: DockerdLayout,
  logger: Logger,
  dockerdCandidate?: number | null,
): Promise<void> {
  const dockerd = await ourDockerdPid(layout, dockerdCandidate);
  if (dockerd !== null) {
    logger.info(`Stopping dockerd (pid ${dockerd})…`);
    if (!(await terminate(dockerd, stopGraceMs))) {
      throw new EngineStopError('dockerd', `dockerd (pid ${dockerd}) survived SIGKILL`);
    }
    logger.info(`Stopped dockerd (pid ${dockerd})`);
  }
  const wrapper = await ourRootlesskitPid(layout);
  if (wrapper !== null && !(await waitForExit(wrapper, dockerd !== null ? wrapperExitMs : 0))) {
    logger.warn(`rootlesskit (pid ${wrapper}) outlived its dockerd; stopping it`);
    if (!(await terminate(wrapper, wrapperExitMs))) {
      throw new EngineStopError('dockerd', `rootlesskit (pid ${wrapper}) survived SIGKILL`);
    }
  }
  await stopDockerdLeftovers(layout, logger);
  await fsp.rm(layout.rootlesskitPidFile, { force: true });
  // Left behind when rootlesskit is killed outright; a new rootlesskit would start over it anyway.
  await fsp.rm(layout.rootlesskitStateDir, { recursive: true, force: true });
}
