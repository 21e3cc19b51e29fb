/**
 * The errors every failure that crosses the bus becomes, without their schema: an {@link ApiError} with a
 * stable `code`, which the CLI maps to exit statuses in one place. Plain TypeScript, so the CLI's read
 * commands load no zod (client/README.md); protocol/errors.ts adds the wire schema for the daemon.
 */
export const errorCodes = [
  'NotFound',
  'Invalid',
  'Forbidden',
  'Conflict',
  'Unavailable',
  'Timeout',
  'Internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The wire form of an error: what an API reply carries instead of a result (errors.ts has its schema). */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.details);
  }
}

/** A compare-and-swap write lost: someone else wrote the resource since it was read. */
export class ConflictError extends ApiError {
  override readonly name = 'ConflictError';
  constructor(
    message: string,
    readonly expectedRevision?: number,
    options?: { cause?: unknown },
  ) {
    super('Conflict', message, expectedRevision === undefined ? undefined : { expectedRevision }, options);
  }
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super('NotFound', message);
  }
}

/** Formats a caught value for a message or a log line without assuming it is an Error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** `failed to <verb> <object>: <cause>` — the shape every wrapped error message takes. */
export function wrapError(what: string, cause: unknown): Error {
  return new Error(`failed to ${what}: ${describeError(cause)}`, { cause });
}
