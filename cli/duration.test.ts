import { UsageError } from './exit-codes.js';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1_500],
    ['0', 0],
  ])('should read %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '10', '5 m', '-1s', '1d', '5mfoo'])('should reject %j with the accepted forms', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
    expect(() => parseDuration(text)).toThrow(/use a number with a unit \(ms, s, m, h\)/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'no limit'],
    [250, '250ms'],
    [1_500, '1.5s'],
    [90_000, '1m30s'],
    [300_000, '5m'],
  ])('should write %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
