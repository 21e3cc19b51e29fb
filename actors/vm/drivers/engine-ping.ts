/**
 * The engine readiness probe: `GET /_ping` over the engine's unix socket. Plain node:http rather than
 * dockerode, so drivers (and the App's auto-driver) can probe without an engine client.
 */
import http from 'node:http';

export class EngineNotAnsweringError extends Error {
  override readonly name = 'EngineNotAnsweringError';
  constructor(
    readonly socket: string,
    readonly reason: string,
  ) {
    super(`engine socket ${socket} did not answer /_ping: ${reason}`);
  }
}

/** Resolves when the engine answers `/_ping` with 200 "OK" within `timeoutMs`. */
export function pingEngine(socket: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => reject(new EngineNotAnsweringError(socket, reason));
    // No agent: Node 20's global agent keeps sockets alive, which would hold an idle connection to the
    // engine (and keep a process that is done from exiting) after every probe.
    const request = http.get({ socketPath: socket, path: '/_ping', timeout: timeoutMs, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        // The answer is two bytes; anything long is not an engine.
        if (body.length < 200) body += chunk;
      });
      response.on('end', () => {
        if (response.statusCode === 200 && body.trim() === 'OK') resolve();
        else fail(`HTTP ${response.statusCode ?? '?'} ${JSON.stringify(body.slice(0, 80))}`);
      });
      response.on('error', (error) => fail(error.message));
    });
    request.on('timeout', () => {
      request.destroy();
      fail(`no answer within ${timeoutMs} ms`);
    });
    request.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
  });
}

export interface WaitForEngineOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** A reason when the process that should answer is gone, so the wait fails at once, not at the timeout. */
  readonly isDead?: () => string | null;
  /** Between attempts; 100–250 ms keeps a start snappy without hammering a booting engine. */
  readonly intervalMs?: number;
}

export class EngineWaitTimeoutError extends Error {
  override readonly name = 'EngineWaitTimeoutError';
  constructor(
    readonly socket: string,
    readonly timeoutMs: number,
    readonly lastError: string,
  ) {
    super(`engine socket ${socket} did not answer within ${formatSeconds(timeoutMs)}: ${lastError}`);
  }
}

/**
 * Polls `/_ping` until it answers. Rejects with the abort reason when `signal` aborts, with the
 * `isDead()` reason when that reports one, and with {@link EngineWaitTimeoutError} at the deadline —
 * never retrying past it.
 */
export async function waitForEngine(socket: string, options: WaitForEngineOptions): Promise<void> {
  const { timeoutMs, signal, isDead, intervalMs = 200 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not tried';
  for (;;) {
    signal?.throwIfAborted();
    const dead = isDead?.();
    if (dead) throw new Error(dead);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new EngineWaitTimeoutError(socket, timeoutMs, lastError);
    try {
      await pingEngine(socket, Math.min(remaining, 2_000));
      return;
    } catch (error) {
      lastError = error instanceof EngineNotAnsweringError ? error.reason : String(error);
    }
    await pause(Math.min(intervalMs, Math.max(deadline - Date.now(), 0)), signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
