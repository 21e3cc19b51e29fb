/**
 * What a dockerd killed with SIGKILL leaves behind: its managed containerd; for every running container
 * a runc shim and the container itself; and mounts (the data-root's private bind mount, container
 * rootfs overlays, network namespaces — none on the host when dockerd ran in its own mount namespace
 * under RootlessKit, where they vanish with the namespace). A dockerd restarted on the same roots takes them over; a stop
 * after such a death has to end them itself. Every pid comes from a pid file under our exec-root and is
 * checked against its command line first, and only mounts under our two roots are touched.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'winston';
import { runCommand } from './run-command.js';
import { commandLine, isAlive, readPidFile, terminate } from '../../../host/processes.js';
import type { DockerdLayout } from './dockerd-args.js';

async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
}

/** Ends the leftovers of a dead dockerd; resolves to how many processes and mounts it ended. */
export async function stopDockerdLeftovers(layout: DockerdLayout, logger: Logger): Promise<number> {
  let stopped = 0;
  const shims = new Set<number>();
  for (const namespace of await subdirectories(layout.shimTasksDir)) {
    for (const bundle of await subdirectories(namespace)) {
      const init = await readPidFile(path.join(bundle, 'init.pid'));
      if (init === null || !isAlive(init)) continue;
      const shim = await parentPid(init);
      const ofOurShim = shim !== null && (await isOurShim(shim, layout));
      // Only a child of our shim, or a process in this container's cgroup, is still the container and
      // not a recycled pid. (Rootless dockerd on a cgroup-v1 host puts containers in no cgroup at all.)
      if (!ofOurShim && !(await inCgroupOf(init, path.basename(bundle)))) continue;
      if (ofOurShim) shims.add(shim);
      // The container's pid 1: when it dies, the kernel ends the rest of its pid namespace.
      process.kill(init, 'SIGKILL');
      stopped++;
    }
  }
  const containerd = await readPidFile(layout.containerdPidFile);
  if (containerd !== null && isAlive(containerd)) {
    const command = (await commandLine(containerd)) ?? '';
    if (command.includes('containerd') && command.includes(layout.execRoot) && (await terminate(containerd, 5_000)))
      stopped++;
  }
  // A next dockerd reuses the containerd its pid file names if that pid exists — even as a zombie,
  // which then never answers and fails the start ("timeout waiting for containerd to start").
  if (containerd !== null && !isAlive(containerd)) await fs.rm(layout.containerdPidFile, { force: true });
  for (const shim of shims) {
    if (await terminate(shim, 2_000)) stopped++;
  }
  if (stopped > 0) logger.warn(`Stopped ${stopped} process(es) left by a dockerd that died on ${layout.dataRoot}`);
  const unmounted = await unmountUnder([layout.dataRoot, layout.execRoot]);
  if (unmounted > 0) logger.warn(`Unmounted ${unmounted} mount(s) left by a dockerd that died on ${layout.dataRoot}`);
  return stopped + unmounted;
}

async function inCgroupOf(pid: number, containerId: string): Promise<boolean> {
  const cgroups = await fs.readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
  return containerId.length >= 12 && cgroups.includes(containerId);
}

async function parentPid(pid: number): Promise<number | null> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const parent = Number(/^PPid:\s*(\d+)/m.exec(status)?.[1]);
  return Number.isInteger(parent) && parent > 1 ? parent : null;
}

/** runc shims record no pid file of their own; they name our containerd's socket in their arguments. */
async function isOurShim(pid: number, layout: DockerdLayout): Promise<boolean> {
  const command = (await commandLine(pid)) ?? '';
  return command.includes('containerd-shim') && command.includes(layout.execRoot);
}

/** Mount points in /proc/self/mountinfo (5th field, with spaces and such octal-escaped). */
export function mountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((field): field is string => Boolean(field))
    .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
}

/** Unmounts everything mounted at or below `roots`, deepest first; resolves to how many it unmounted. */
async function unmountUnder(roots: readonly string[]): Promise<number> {
  let mountinfo: string;
  try {
    mountinfo = await fs.readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return 0;
  }
  const inside = mountPoints(mountinfo)
    .filter((point) => roots.some((root) => point === root || point.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length);
  let count = 0;
  for (const point of inside) {
    // Lazy as a fallback: a namespace file some process still holds must not fail the stop.
    const result = await runCommand('umount', [point], { timeoutMs: 10_000 });
    if (result.code === 0 || (await runCommand('umount', ['-l', point], { timeoutMs: 10_000 })).code === 0) count++;
  }
  return count;
}
