/**
 * For tests: wait until nothing is left to run, instead of waiting a number of event-loop turns that
 * one more hop in production code would outgrow.
 */

/**
 * Resolves once nothing is left to run: no promise continuation (Node empties the whole microtask
 * queue, nextTicks included, before any macrotask) and no setImmediate callback still queued. For code
 * that waits on nothing else (fake clocks, fake children, in-memory streams) this is the moment it has
 * done all it can until the test acts, however many awaits or immediates it goes through. It does not
 * wait for timers or I/O: wait on the event those produce instead.
 */
export async function drained(): Promise<void> {
  do await new Promise<void>((resolve) => setImmediate(resolve));
  while (process.getActiveResourcesInfo().includes('Immediate'));
}
