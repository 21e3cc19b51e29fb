/**
 * Mounts left under an instance directory. dockerd mounts inside its data-root and, when killed
 * outright, leaves those mounts behind; removing the directory then fails with EBUSY. Linux only:
 * elsewhere the engine runs in a VM and nothing is mounted on the host.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Mount points at or below `dir`, deepest first (so children unmount before their parents). */
export async function mountsUnder(dir: string): Promise<string[]> {
  let table: string;
  try {
    table = await fs.readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const root = path.resolve(dir);
  const points = table
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    // mountinfo escapes spaces and a few other characters as octal.
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point === root || point.startsWith(`${root}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmounts everything at or below `dir`; lazily when a mount is still busy. Returns what it unmounted. */
export async function unmountUnder(dir: string): Promise<string[]> {
  const points = await mountsUnder(dir);
  for (const point of points) {
    try {
      await execFileAsync('umount', [point]);
    } catch {
      await execFileAsync('umount', ['-l', point]).catch(() => undefined);
    }
  }
  return points;
}
