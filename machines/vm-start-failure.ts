/**
 * Whether a failed engine start can succeed by itself on a later try, or waits for the user: the VM
 * machine retries the first kind with backoff and stops retrying the second (a retry loop would only
 * repeat the same message forever, and hide it from the log).
 */

/** Spawn error codes no retry can fix: a program that is missing or that the user may not run. */
const userFixableSpawnCodes = new Set(['EACCES', 'EPERM', 'ENOENT', 'ENOTDIR']);

/**
 * True for a driver that cannot work on this machine as it is (`DriverUnavailableError`: a missing
 * program, a missing permission, a prerequisite the user must install) and for a program that could
 * not be spawned for lack of it or of the right to run it, as the error or one of its causes; false for
 * everything else (a timeout, an engine that exited, a socket not there yet: ENOENT of a connect).
 */
export function startNeedsUser(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth += 1) {
    const { name, code, syscall } = cause as { name?: unknown; code?: unknown; syscall?: unknown };
    // Matched by name: machines/ may not import actors/, where the driver errors live.
    if (name === 'DriverUnavailableError') return true;
    const spawned = typeof syscall === 'string' && syscall.startsWith('spawn');
    if (spawned && typeof code === 'string' && userFixableSpawnCodes.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
