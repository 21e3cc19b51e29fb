/**
 * The one place that maps failures to exit statuses: 0 ok, 1 failed, 2 usage error, 3 rejected (invalid
 * property or value, forbidden operation), 4 a wait timed out.
 */
import { ApiError, type ErrorCode } from '../protocol/api-error.js';
import { InvalidInstanceError } from '../protocol/instance.js';
import { InvalidLogLevelError } from '../protocol/logging.js';

export const ExitCode = { ok: 0, failed: 1, usage: 2, rejected: 3, timeout: 4 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A usage mistake the CLI itself detects (a malformed argument, an unknown key). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A wait that ran out of time; its message names what it waited for and the last state seen. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

const byApiCode: Record<ErrorCode, ExitCodeValue> = {
  NotFound: ExitCode.failed,
  Invalid: ExitCode.rejected,
  Forbidden: ExitCode.rejected,
  Conflict: ExitCode.failed,
  Unavailable: ExitCode.failed,
  Timeout: ExitCode.failed,
  Internal: ExitCode.failed,
};

export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof UsageError || error instanceof InvalidInstanceError || error instanceof InvalidLogLevelError) {
    return ExitCode.usage;
  }
  if (error instanceof WaitTimeoutError) return ExitCode.timeout;
  if (error instanceof ApiError) return byApiCode[error.code];
  // oclif's own parse errors (unknown flag, bad option value, missing argument) carry exit 2.
  const oclifExit = (error as { oclif?: { exit?: number } }).oclif?.exit;
  if (oclifExit === 2) return ExitCode.usage;
  return ExitCode.failed;
}
