/** Why a driver cannot start or stop an engine. Messages say what to do about it. */

/** The driver cannot work on this machine as it is: a missing program, or not root. */
export class DriverUnavailableError extends Error {
  override readonly name = 'DriverUnavailableError';
  constructor(
    readonly driver: string,
    message: string,
  ) {
    super(message);
  }
}

/** `failed to start <what>: <cause>`, with the engine's log tail in the cause when there is one. */
export class EngineStartError extends Error {
  override readonly name = 'EngineStartError';
  constructor(what: string, detail: string, options?: { cause?: unknown }) {
    super(`failed to start ${what}: ${detail}`, options);
  }
}

/** `failed to stop <what>: <cause>`; the engine may still be running. */
export class EngineStopError extends Error {
  override readonly name = 'EngineStopError';
  constructor(what: string, detail: string, options?: { cause?: unknown }) {
    super(`failed to stop ${what}: ${detail}`, options);
  }
}

/** The abort reason as an Error, so a cancelled start rejects with something a log line can show. */
export function abortReason(signal: AbortSignal, what: string): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const detail = typeof reason === 'string' ? `: ${reason}` : '';
  return new Error(`${what} was cancelled${detail}`, { cause: reason });
}
