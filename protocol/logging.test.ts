import { InvalidLogLevelError, resolveLogLevel } from './logging.js';

describe('resolveLogLevel', () => {
  it.each([
    ['debug', {}, 'debug'],
    [undefined, { RDD_LOG_LEVEL: 'warn' }, 'warn'],
    [undefined, { RDD_LOG_LEVEL: '' }, 'info'],
    [undefined, {}, 'info'],
  ])('should resolve flag %j with env %j to %s', (flag, env, expected) => {
    expect(resolveLogLevel(flag, env)).toBe(expected);
  });

  it('should reject an unknown level listing the valid ones', () => {
    expect(() => resolveLogLevel('loud', {})).toThrow(InvalidLogLevelError);
    expect(() => resolveLogLevel(undefined, { RDD_LOG_LEVEL: 'trace' })).toThrow(
      'valid levels: error, warn, info, debug',
    );
  });
});
