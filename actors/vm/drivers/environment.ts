/** What the drivers read from the daemon's environment: binary overrides and timeouts. */
import fs from 'node:fs/promises';
import path from 'node:path';

/** A program the way a shell finds it: a path with a slash as is, else the first match on PATH. */
export async function findExecutable(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const candidates = name.includes('/')
    ? [path.resolve(name)]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      await fs.access(candidate, fs.constants.X_OK);
      const stat = await fs.stat(candidate);
      if (stat.isFile()) return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

/** A positive millisecond count from `env[key]`, else `fallback` (a typo must not mean "no timeout"). */
export function millisecondsFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * PATH with /usr/sbin and /sbin appended when missing: dockerd lives there, and dockerd inside its
 * namespace runs `iptables` from there — a non-root user's PATH usually has neither.
 */
export function rootlessPath(env: NodeJS.ProcessEnv): string {
  const dirs = (env.PATH || process.env.PATH || '/usr/bin:/bin').split(path.delimiter).filter(Boolean);
  for (const dir of ['/usr/sbin', '/sbin']) if (!dirs.includes(dir)) dirs.push(dir);
  return dirs.join(path.delimiter);
}

/** The environment for a child: the daemon's, with a PATH that still finds system tools. */
export function childEnv(env: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...env, PATH: env.PATH || process.env.PATH || '/usr/sbin:/usr/bin:/sbin:/bin', ...extra };
}
