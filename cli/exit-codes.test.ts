import { ApiError } from '../protocol/api-error.js';
import { InvalidInstanceError } from '../protocol/instance.js';
import { InvalidLogLevelError } from '../protocol/logging.js';
import { exitCodeFor, UsageError, WaitTimeoutError } from './exit-codes.js';

describe('exitCodeFor', () => {
  it.each([
    ['a usage error', new UsageError('bad'), 2],
    ['a bad instance', new InvalidInstanceError('X'), 2],
    ['a bad log level', new InvalidLogLevelError('loud'), 2],
    ['an oclif parse error', Object.assign(new Error('Nonexistent flag'), { oclif: { exit: 2 } }), 2],
    ['an Invalid reply', new ApiError('Invalid', 'bad value'), 3],
    ['a Forbidden reply', new ApiError('Forbidden', 'stop first'), 3],
    ['a NotFound reply', new ApiError('NotFound', 'gone'), 1],
    ['an Unavailable reply', new ApiError('Unavailable', 'down'), 1],
    ['a wait timeout', new WaitTimeoutError('timed out'), 4],
    ['anything else', new Error('boom'), 1],
  ])('should map %s to exit %d', (_what, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});
