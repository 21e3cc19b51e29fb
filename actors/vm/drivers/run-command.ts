/**
 * Runs a short-lived helper program (`ip`, `limactl`) to completion. Its output is kept for the error
 * message, and optionally appended to a log file so a long `limactl start` leaves a trace.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { lastLines } from './log-file.js';

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Also append stdout and stderr here. */
  readonly logFile?: string;
  readonly input?: string;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** It ran past `timeoutMs` and was killed. */
  readonly timedOut: boolean;
}

export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  constructor(
    readonly command: string,
    readonly result: RunResult | null,
    reason: string,
  ) {
    super(`${command} ${reason}`);
  }
}

/** Resolves with the result whatever the exit code; rejects only when the program cannot run at all. */
export function runCommand(binary: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a', mode: 0o600 }) : null;
    const child = spawn(binary, [...args], {
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      log?.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      log?.write(chunk);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    // SIGTERM first: a killed `limactl start` should get the chance to stop what it began.
    const kill = (): void => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
    child.once('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      log?.end();
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      log?.end();
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Like {@link runCommand}, but rejects unless the program exits 0, quoting the end of its output. */
export async function runChecked(binary: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const command = [binary, ...args].join(' ');
  const result = await runCommand(binary, args, options);
  if (result.code === 0) return result;
  const how = result.timedOut
    ? `did not finish within ${options.timeoutMs} ms`
    : result.signal
      ? `was stopped by ${result.signal}`
      : `exited with code ${result.code ?? '?'}`;
  const output = lastLines(`${result.stdout}\n${result.stderr}`, 15);
  throw new CommandFailedError(command, result, output ? `${how}:\n${output}` : how);
}
