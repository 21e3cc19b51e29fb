/**
 * The benchmarks' instance: its own HOME under the temp dir and its own RDD_INSTANCE, so no user
 * instance is touched, and the real CLI (`bin/rdd`) run as a child process with that environment.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { instancePaths, type InstancePaths } from '../../protocol/instance.js';
import type { SyncReport, SyncTrigger } from '../../protocol/mirrors/commands.schema.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
}

/** What `rdd svc status -o json` prints (the fields the benchmarks read). */
export interface DaemonStatus {
  readonly running: boolean;
  readonly pid: number | null;
  readonly enginePid: number | null;
  readonly natsUrl: string | null;
}

/** The directory holding package.json: the same from `bench/` and from its compiled copy in `dist/bench/`. */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'bin', 'rdd'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no rdd checkout above ${from}`);
  }
}

export class BenchInstance {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  readonly paths: InstancePaths;
  private readonly rddBin: string;

  /** `extraEnv` is added after the cleanup, so the daemon started by `svc start` inherits it (RDD_FAULT_INJECTION). */
  constructor(
    readonly name: string,
    readonly repoRoot: string,
    extraEnv: NodeJS.ProcessEnv = {},
  ) {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-bench-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: this.home, RDD_INSTANCE: name };
    for (const key of Object.keys(env)) {
      if (
        key.startsWith('XDG_') ||
        key.startsWith('RDD_NATS') ||
        key.startsWith('DOCKER_') ||
        ['RDD_LOG_LEVEL', 'RDD_ENGINE_RESYNC_SECONDS'].includes(key)
      )
        delete env[key];
    }
    this.env = { ...env, ...extraEnv };
    this.paths = instancePaths(name, { platform: process.platform, home: this.home, env });
    this.rddBin = path.join(repoRoot, 'bin', 'rdd');
  }

  /** Runs `rdd args…`; resolves with its exit code and output, rejects only when it outlives `timeoutMs`. */
  rdd(args: readonly string[], timeoutMs = 600_000): Promise<CliRun> {
    return run(process.execPath, [this.rddBin, ...args], this.env, timeoutMs);
  }

  /** Runs `rdd args…` and rejects with its output unless it exits 0. */
  async ok(args: readonly string[], timeoutMs?: number): Promise<CliRun> {
    const result = await this.rdd(args, timeoutMs);
    if (result.code !== 0) {
      throw new Error(`rdd ${args.join(' ')} exited ${result.code}: ${(result.stderr + result.stdout).trim()}`);
    }
    return result;
  }

  /** The docker CLI against this instance's engine; its config dir is under the bench HOME. */
  async docker(args: readonly string[], timeoutMs = 300_000): Promise<CliRun> {
    const result = await run('docker', ['-H', `unix://${this.paths.docker_socket}`, ...args], this.env, timeoutMs);
    if (result.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
    return result;
  }

  async status(): Promise<DaemonStatus> {
    return JSON.parse((await this.ok(['svc', 'status', '-o', 'json'])).stdout) as DaemonStatus;
  }

  /** The daemon's nats-server, from the pid file the daemon writes. */
  natsPid(): number | null {
    try {
      const pid = Number(fs.readFileSync(this.paths.nats_pid_file, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  /** The daemon's log lines (JSON) written at or after `since` (ms since the epoch). */
  logSince(since: number): { message: string; timestamp: number }[] {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.paths.log_dir, 'rdd.log'), 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        const entry = JSON.parse(line) as { message?: unknown; timestamp?: unknown };
        const timestamp = Date.parse(String(entry.timestamp));
        return typeof entry.message === 'string' && timestamp >= since ? [{ message: entry.message, timestamp }] : [];
      } catch {
        return [];
      }
    });
  }

  /** Deletes the instance with its engine data (stops the daemon and its dockerd, removes its dirs), then the HOME. */
  async dispose(): Promise<CliRun> {
    const result = await this.rdd(['svc', 'delete', '--purge', '--yes', '--timeout', '2m'], 180_000);
    fs.rmSync(this.home, { recursive: true, force: true });
    return result;
  }
}

/** The daemon's own line for a sync: `connect sync in 68 ms: 4 created, 0 updated, 0 removed, 0 failed`. */
export function syncReportFromLog(
  instance: BenchInstance,
  since: number,
  triggers: readonly SyncTrigger[],
): SyncReport | undefined {
  for (const { message, timestamp } of instance.logSince(since)) {
    const match = /^(\w+) sync in (\d+) ms: (\d+) created, (\d+) updated, (\d+) removed, (\d+) failed/.exec(message);
    if (!match || !triggers.includes(match[1] as SyncTrigger)) continue;
    return {
      trigger: match[1] as SyncTrigger,
      durationMs: Number(match[2]),
      created: Number(match[3]),
      updated: Number(match[4]),
      removed: Number(match[5]),
      failed: Number(match[6]),
      changed: [],
      completedAt: new Date(timestamp).toISOString(),
    };
  }
  return undefined;
}

/** Runs a program to its end, timing it; never through a shell. */
export function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
        ms: performance.now() - started,
      });
    });
  });
}

/** Processes of the instance that outlived `svc delete` (a process by its HOME on its command line). */
function leftovers(instance: BenchInstance): { pids: number[] } {
  const pids = fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) return [];
    try {
      return fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(instance.home) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
  return { pids };
}

/** `svc delete` of the bench's instance, then a check that nothing of it is left; progress on `progress`. */
export async function deleteInstance(instance: BenchInstance, progress: (line: string) => void): Promise<void> {
  progress(`deleting instance ${instance.name}…`);
  const deleted = await instance.dispose().catch((error: unknown) => ({ code: -1, stderr: String(error) }));
  if (deleted.code !== 0) progress(`svc delete exited ${deleted.code}: ${deleted.stderr.trim()}`);
  const left = leftovers(instance);
  if (left.pids.length) progress(`processes of the instance are still running: ${left.pids.join(', ')}`);
  if (!left.pids.length && deleted.code === 0) progress('cleaned up: no process or dir left');
}
