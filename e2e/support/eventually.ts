/**
 * The one way e2e tests wait for a condition they cannot be told about: poll a probe until it yields a
 * value. Tests that can watch an event (a `-w` stream, a pid file) still poll through this, on what the
 * watch collected, so every wait has a deadline and a name in its failure.
 */

/** How often the probe runs; short enough not to slow a test, long enough not to load the daemon. */
const pollIntervalMs = 100;

/** What a probe yields while the condition does not hold yet. */
type NotYet = undefined | null | false | 0 | '';

/**
 * Runs `probe` until it resolves to a truthy value, and resolves with that value.
 *
 * "Not yet" is either a falsy result (`false`, `null`, `undefined`, `0`, `''`) or a thrown error (the
 * CLI not answering yet, a `throw new Error('why not')`); both are retried. A probe whose success has no
 * useful value returns `true`; one that returns nothing (`void`) does not compile, as it would never end. After `timeoutMs` it rejects with `what` and the probe's last error, so a
 * failure says what was awaited and why it never came.
 */
export async function eventually<T extends NonNullable<unknown>>(
  what: string,
  probe: () => Promise<T | NotYet> | T | NotYet,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
