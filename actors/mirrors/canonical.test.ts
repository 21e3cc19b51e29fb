import { compareText, engineTime, sortedRecord, sortedSet } from './canonical.js';

describe('engineTime', () => {
  it.each<[string, string | null | undefined, string | null]>([
    ['Docker zero time', '0001-01-01T00:00:00Z', null],
    ['Docker zero time with an offset', '0001-01-01T00:00:00+01:00', null],
    ['an empty string', '', null],
    ['undefined', undefined, null],
    ['null', null, null],
    ['not a time', 'yesterday-ish', null],
    ['nanoseconds', '2026-11-26T14:04:15.766894273Z', '2026-11-26T14:04:15.766Z'],
    ['a local offset', '2026-11-26T15:04:11.5+01:00', '2026-11-26T14:04:11.500Z'],
    ['whole seconds', '2026-11-26T14:04:11Z', '2026-11-26T14:04:11.000Z'],
  ])('should give the right value when the engine reports %s', (_what, text, expected) => {
    expect(engineTime(text)).toBe(expected);
  });
});

describe('sorting', () => {
  it('should sort by code point, not by locale, when strings differ in case', () => {
    expect(['b', 'B', 'a', 'A'].sort(compareText)).toEqual(['A', 'B', 'a', 'b']);
  });

  it('should drop duplicates and nulls when building a sorted set', () => {
    expect([sortedSet(['b', 'a', 'b']), sortedSet(null)]).toEqual([['a', 'b'], []]);
  });

  it('should keep a __proto__ label as a label when sorting a record', () => {
    const labels = JSON.parse('{"z":"1","__proto__":"x"}') as Record<string, string>;

    const sorted = sortedRecord(labels);

    expect(Object.entries(sorted)).toEqual([
      ['__proto__', 'x'],
      ['z', '1'],
    ]);
    expect(JSON.stringify(sorted)).toBe('{"__proto__":"x","z":"1"}');
  });
});
