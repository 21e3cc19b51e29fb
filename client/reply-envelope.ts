/**
 * The structural check of the reply envelope that every API reply (and a mirror owner's) comes in: a
 * few typeof checks, not protocol/api.schema.ts's schema. The CLI does not validate what the daemon
 * replies (client/README.md): the daemon validated the request and every value it stores; the envelope
 * is checked so that a malformed reply is a clear error instead of a crash or a wrong answer.
 */
import { ApiError, errorCodes, type ApiErrorBody, type ErrorCode } from '../protocol/api-error.js';

export type CheckedEnvelope = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** The envelope in `reply` (parsed JSON, or undefined when it was not JSON), or what is malformed in it. */
export function checkReplyEnvelope(reply: unknown): CheckedEnvelope | { malformed: string } {
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply))
    return { malformed: '(body): expected a JSON object with ok and result or error' };
  const { ok, error } = reply as { ok?: unknown; error?: unknown };
  if (ok === true) return { ok: true, result: (reply as { result?: unknown }).result };
  if (ok !== false) return { malformed: 'ok: expected true or false' };
  if (typeof error !== 'object' || error === null) return { malformed: 'error: expected an object' };
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (!errorCodes.includes(code as ErrorCode))
    return { malformed: `error.code: expected one of ${errorCodes.join(', ')}` };
  if (typeof message !== 'string') return { malformed: 'error.message: expected a string' };
  if (details !== undefined && (typeof details !== 'object' || details === null || Array.isArray(details)))
    return { malformed: 'error.details: expected an object' };
  return { ok: false, error: error as ApiErrorBody };
}

/** The result of an envelope, or the {@link ApiError} it carries; a malformed one is Internal. */
export function resultOf(reply: unknown, what: string): unknown {
  const envelope = checkReplyEnvelope(reply);
  if ('malformed' in envelope) throw new ApiError('Internal', `malformed reply to ${what}: ${envelope.malformed}`);
  if (!envelope.ok) throw ApiError.fromBody(envelope.error);
  return envelope.result;
}
