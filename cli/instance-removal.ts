/**
 * What `rdd svc delete` removes, and what it keeps. rdd's own state (store, credentials, NATS config,
 * logs, sockets, pid files) always goes; the engine's data (containers, images, volumes) goes only on
 * `--purge`. Call these only once the daemon and every engine process are stopped.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { engineDataDirs, instanceDirs, type InstancePaths } from '../protocol/instance.js';
import { unmountUnder } from '../host/mounts.js';

export interface EngineContents {
  containers: number;
  images: number;
  volumes: number;
}

/** Existing engine data dirs of the instance. */
export async function presentEngineDataDirs(paths: InstancePaths): Promise<string[]> {
  const present: string[] = [];
  for (const dir of Object.values(engineDataDirs(paths))) if (await exists(dir)) present.push(dir);
  return present;
}

/** Counts what rdd's engine holds by asking it; null when it does not answer (not running). */
export async function countEngineContents(paths: InstancePaths): Promise<EngineContents | null> {
  if (!(await exists(paths.docker_socket))) return null;
  const docker = new Docker({ socketPath: paths.docker_socket, timeout: 10_000 });
  try {
    const [containers, images, volumes] = await Promise.all([
      docker.listContainers({ all: true }),
      docker.listImages(),
      docker.listVolumes(),
    ]);
    return { containers: containers.length, images: images.length, volumes: volumes.Volumes?.length ?? 0 };
  } catch {
    return null;
  }
}

/** "2 containers, 1 image, 0 volumes", or what to say when they could not be counted. */
export function describeContents(contents: EngineContents | null): string {
  if (contents === null) return 'all it holds (rdd cannot count it: the engine is not running)';
  const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return `${count(contents.containers, 'container')}, ${count(contents.images, 'image')}, ${count(contents.volumes, 'volume')}`;
}

export interface Removal {
  removed: string[];
  kept: string[];
}

/**
 * Removes the instance's directories, but for the engine data dirs unless `purge`, and the log dir
 * when `keepLogs`. Leftover mounts (an engine killed outright leaves them under its data-root and
 * exec-root) are unmounted first, or the removal fails with EBUSY.
 */
export async function removeInstance(
  paths: InstancePaths,
  options: { purge: boolean; keepLogs: boolean },
): Promise<Removal> {
  const keep = new Set(options.purge ? [] : await presentEngineDataDirs(paths));
  if (options.keepLogs) keep.add(paths.log_dir);
  const removal: Removal = { removed: [], kept: [...keep] };
  for (const dir of instanceDirs(paths)) {
    if (keep.has(dir) || !(await exists(dir))) continue;
    const keptInside = [...keep].filter((kept) => kept.startsWith(`${dir}/`));
    if (keptInside.length === 0) {
      await removeTree(dir);
      removal.removed.push(dir);
      continue;
    }
    // Only direct children are kept (the engine data dirs sit right under the instance dir).
    for (const entry of await fs.readdir(dir)) {
      const child = path.join(dir, entry);
      if (keep.has(child)) continue;
      await removeTree(child);
      removal.removed.push(child);
    }
  }
  return removal;
}

async function removeTree(target: string): Promise<void> {
  await unmountUnder(target);
  await fs.rm(target, { recursive: true, force: true });
}

async function exists(target: string): Promise<boolean> {
  try {
    await fs.access(target);
    return true;
  } catch {
    return false;
  }
}
