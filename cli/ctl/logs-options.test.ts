import { UsageError } from '../exit-codes.js';
import { logsTargetWords, parseSince, parseTail } from './logs-options.js';

describe('parseSince', () => {
  const now = new Date('2026-03-04T05:06:07Z');

  it.each([
    ['5s', now.getTime() / 1000 - 5],
    ['2m', now.getTime() / 1000 - 120],
    ['1h30m', now.getTime() / 1000 - 5400],
    ['2026-03-04T05:00:00Z', Date.parse('2026-03-04T05:00:00Z') / 1000],
    ['2026-03-04T07:00:00.5+02:00', Date.parse('2026-03-04T05:00:00.5Z') / 1000],
  ])('should read %s as Unix seconds', (text, seconds) => {
    expect(parseSince(text, now)).toBeCloseTo(seconds, 3);
  });

  it.each(['yesterday', '5', '-5s', '2026-03-04', '2026-13-40T99:00:00Z'])(
    'should refuse %j naming the durations and times it takes',
    (text) => {
      expect(() => parseSince(text, now)).toThrow(UsageError);
      expect(() => parseSince(text, now)).toThrow(/use a duration \(5s, 2m, 3h, 1h30m\) or an RFC 3339 time/);
    },
  );
});

describe('parseTail', () => {
  it.each([
    ['-1', -1],
    ['0', 0],
    ['20', 20],
  ])('should read %s as %d', (text, lines) => {
    expect(parseTail(text)).toBe(lines);
  });

  it.each(['-2', 'all', '1.5', ''])('should refuse %j naming what it takes', (text) => {
    expect(() => parseTail(text)).toThrow(/use a number of lines \(0 or more\), or -1 for all/);
  });
});

describe('logsTargetWords', () => {
  it('should read a bare name as a container and leave the other forms to the target parser', () => {
    expect(logsTargetWords(['web'])).toEqual(['container', 'web']);
    expect(logsTargetWords(['container/web'])).toEqual(['container/web']);
    expect(logsTargetWords(['container', 'web'])).toEqual(['container', 'web']);
  });
});
