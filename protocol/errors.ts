/**
 * The one errors module shared by the daemon and the CLI. Every failure that crosses the bus is an
 * {@link ApiError} with a stable `code`; the CLI maps codes to exit statuses in one place. The classes
 * live in protocol/api-error.ts (no zod, for the CLI's read path); this module adds their wire schema.
 */
import { z } from 'zod';
import { errorCodes, type ApiErrorBody } from './api-error.js';

export * from './api-error.js';

/** The wire form of an error: what an API reply carries instead of a result. */
export const apiErrorBodySchema: z.ZodType<ApiErrorBody> = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
