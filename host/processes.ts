/**
 * Helpers for the processes of an instance: the daemon, its nats-server, later its engine. Shared by the
 * daemon and the CLI. They act only on a pid they were given (from a pid file), after checking its
 * command line, never by process name.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Whether the process lives. A zombie counts as gone: a process that is not our child (an adopted
 * dockerd, the containerd of a dead one) stays a zombie until PID 1 reaps it, which some container
 * inits do late or never, and waiting on it would wait out every grace period.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else — alive, and not ours to touch.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** Linux only (/proc); elsewhere nothing counts as a zombie. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself contain spaces or ')'.
    const close = stat.lastIndexOf(')');
    return stat.slice(close + 2, close + 3) === 'Z';
  } catch {
    return false;
  }
}

/** The command line of a live process, or null when it is gone (Linux /proc, else `ps`). */
export async function commandLine(pid: number): Promise<string | null> {
  try {
    const raw = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter(Boolean).join(' ');
  } catch {
    try {
      const { stdout } = await execFileAsync('ps', ['-p', String(pid), '-o', 'command=']);
      return stdout.trim() || null;
    } catch {
      return null;
    }
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves true once the process is gone. */
export async function terminate(pid: number, graceMs: number): Promise<boolean> {
  if (!signal(pid, 'SIGTERM')) return true;
  if (await waitForExit(pid, graceMs)) return true;
  signal(pid, 'SIGKILL');
  return waitForExit(pid, 2_000);
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

/** Reads a pid file; null when it is missing or does not hold a pid. */
export async function readPidFile(file: string): Promise<number | null> {
  try {
    const pid = Number((await fs.readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** A port on 127.0.0.1 that was free a moment ago; `preferred` is kept when it still is. */
export async function freePort(preferred?: number): Promise<number> {
  if (preferred && (await canListen(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Stops the process named by a pid file if it is alive and its command line contains every one of
 * `mustContain` (so a recycled pid of some other program is never touched). Resolves to its pid, or
 * null when there was nothing to stop.
 */
export async function stopProcessFromPidFile(
  pidFile: string,
  mustContain: readonly string[],
  graceMs: number,
): Promise<number | null> {
  const pid = await readPidFile(pidFile);
  if (pid === null || pid === process.pid || !isAlive(pid)) return null;
  const command = await commandLine(pid);
  if (!command || !mustContain.every((part) => command.includes(part))) return null;
  if (!(await terminate(pid, graceMs))) throw new Error(`failed to stop process ${pid} (${command})`);
  return pid;
}
