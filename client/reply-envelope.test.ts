import { ApiError } from '../protocol/api-error.js';
import { replyEnvelopeSchema } from '../protocol/api.schema.js';
import { checkReplyEnvelope, resultOf } from './reply-envelope.js';

/** What `act` throws. */
function caught(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('resultOf', () => {
  it('should return the result of an ok envelope as it came', () => {
    expect(resultOf({ ok: true, result: { items: [1] } }, 'app.get')).toEqual({ items: [1] });
  });

  it('should throw the ApiError an error envelope carries', () => {
    const thrown = (() => {
      try {
        resultOf({ ok: false, error: { code: 'NotFound', message: 'no App', details: { kind: 'App' } } }, 'app.get');
      } catch (error) {
        return error;
      }
    })();

    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ code: 'NotFound', message: 'no App', details: { kind: 'App' } });
  });

  it.each([
    ['not JSON', undefined, '(body): expected a JSON object'],
    ['no ok', { result: 1 }, 'ok: expected true or false'],
    ['no error', { ok: false }, 'error: expected an object'],
    ['an unknown code', { ok: false, error: { code: 'Oops', message: 'x' } }, 'error.code: expected one of NotFound'],
    ['no message', { ok: false, error: { code: 'Internal' } }, 'error.message: expected a string'],
    ['details not an object', { ok: false, error: { code: 'Internal', message: 'x', details: 3 } }, 'error.details'],
  ])('should refuse an envelope with %s as Internal, naming what is malformed', (_what, reply, issue) => {
    expect(() => resultOf(reply, 'app.get')).toThrow(`malformed reply to app.get: ${issue}`);
    expect(caught(() => resultOf(reply, 'app.get'))).toMatchObject({ name: 'ApiError', code: 'Internal' });
  });

  it.each([
    { ok: true, result: null },
    { ok: false, error: { code: 'Timeout', message: 'late' } },
    { ok: false, error: { code: 'Timeout', message: 'late', details: {} } },
    { ok: 'yes', result: 1 },
    { ok: false, error: { code: 'Nope', message: 'x' } },
    [],
  ])('should accept what the protocol schema accepts and refuse what it refuses: %j', (reply) => {
    expect('malformed' in checkReplyEnvelope(reply)).toBe(!replyEnvelopeSchema.safeParse(reply).success);
  });
});
