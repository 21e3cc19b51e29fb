/**
 * Runs the real `rdd` CLI in an isolated instance: its own HOME (so every path is under a temp dir),
 * its own RDD_INSTANCE, and no inherited XDG or NATS settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { instancePaths, type InstancePaths } from '../../protocol/instance.js';

export const repoRoot = path.resolve(__dirname, '..', '..');
const rddBin = path.join(repoRoot, 'bin', 'rdd');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class TestInstance {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  readonly paths: InstancePaths;

  constructor(readonly name: string) {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-e2e-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: this.home, RDD_INSTANCE: name };
    for (const key of Object.keys(env)) {
      if (key.startsWith('XDG_') || key.startsWith('RDD_NATS') || key === 'RDD_LOG_LEVEL') delete env[key];
    }
    env.RDD_INSTANCE = name;
    this.env = env;
    this.paths = instancePaths(name, { platform: process.platform, home: this.home, env });
  }

  /**
   * Runs `rdd`; `input` is written to its stdin (a pipe, as in `printf … | rdd …`), then closed, unless
   * `holdStdin` keeps the pipe open as `(echo x; sleep 60) | rdd …` does. Without `input` stdin is an
   * open, silent pipe.
   */
  rdd(
    args: string[],
    options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string; holdStdin?: boolean } = {},
  ): Promise<CliResult> {
    const child = spawn(process.execPath, [rddBin, ...args], { env: { ...this.env, ...options.env } });
    if (options.input !== undefined && options.holdStdin) child.stdin.write(options.input);
    else if (options.input !== undefined) child.stdin.end(options.input);
    return collectOutput(child, `rdd ${args.join(' ')}`, options.timeoutMs ?? 60_000);
  }

  /** Runs `rdd` and fails the test with its output unless it exits 0. */
  async ok(args: string[]): Promise<CliResult> {
    const result = await this.rdd(args);
    if (result.code !== 0)
      throw new Error(`rdd ${args.join(' ')} exited ${result.code}\n${result.stderr}${result.stdout}`);
    return result;
  }

  async json<T>(args: string[]): Promise<T> {
    return JSON.parse((await this.ok([...args, '-o', 'json'])).stdout) as T;
  }

  /** Stops whatever this instance left running (by its pid files) and removes its HOME, engine data too. */
  async dispose(): Promise<void> {
    await this.rdd(['svc', 'delete', '--purge', '--yes', '--timeout', '10s']).catch(() => undefined);
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

/**
 * What a child process printed and how it exited; killed (and the test failed, with its stderr) if it
 * has not exited within `timeoutMs`.
 */
export function collectOutput(child: ChildProcess, what: string, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** A name no other test run on this machine uses at the same time. */
export function uniqueInstance(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e6)}`.slice(0, 32);
}

export function readPid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
