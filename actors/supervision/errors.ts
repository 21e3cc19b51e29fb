/** Errors a supervisor raises itself; a child's own errors pass through as their `cause`. */

/** A supervisor exceeded its restart intensity and gave up; `cause` is the last child error. */
export class EscalationError extends Error {
  override readonly name = 'EscalationError';
  constructor(
    readonly supervisorId: string,
    readonly restarts: number,
    readonly periodMs: number,
    readonly childId: string,
    cause: Error,
  ) {
    super(
      `supervisor ${supervisorId} gave up: ${restarts} restarts in ${periodMs} ms; last: ${childId}: ${cause.message}`,
      { cause },
    );
  }
}

/** A child failed during the supervisor's initial start (Erlang does not retry those). */
export class ChildStartError extends Error {
  override readonly name = 'ChildStartError';
  constructor(
    readonly supervisorId: string,
    readonly childId: string,
    cause: Error,
  ) {
    super(`failed to start ${supervisorId}/${childId}: ${cause.message}`, { cause });
  }
}

/** Children may reject with anything; supervision telemetry and `Exit` need a real Error. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(describeValue(value), { cause: value });
}

/** Text for a log line or message from any thrown or logged value, without throwing itself. */
export function describeValue(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
