import { age, humanDuration, humanSize, listCell, shortId, stateOf } from './format.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  // The cases of apimachinery's duration_test.go for HumanDuration.
  it.each([
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [1 * s, '1s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 30 * s, '2m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 30 * m, '3h30m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [47 * h + 59 * m, '47h'],
    [2 * d, '2d'],
    [2 * d + 1 * h, '2d1h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [2 * 365 * d, '2y'],
    [2 * 365 * d + 10 * d, '2y10d'],
    [8 * 365 * d, '8y'],
    [20 * 365 * d + 10 * d, '20y'],
  ])('should print %d ms as %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe('age', () => {
  const now = new Date('2026-01-10T12:00:00Z');

  it.each([
    ['2026-01-10T11:59:55Z', '5s'],
    ['2026-01-10T11:57:00Z', '3m'],
    ['2026-01-10T10:00:00Z', '120m'],
    ['2026-01-10T07:00:00Z', '5h'],
    ['2026-01-06T12:00:00Z', '4d'],
    [null, '<unknown>'],
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['yesterday', '<unknown>'],
  ])('should give the age of %j', (timestamp, expected) => {
    expect(age(timestamp, now)).toBe(expected);
  });
});

describe('humanSize', () => {
  it.each([
    [0, '0B'],
    [512, '512B'],
    [999, '999B'],
    [1000, '1kB'],
    [4_261_000, '4.26MB'],
    [4_300_000, '4.3MB'],
    [77_800_000, '77.8MB'],
    [1_234_567_890, '1.23GB'],
  ])('should print %d bytes as %s', (bytes, expected) => {
    expect(humanSize(bytes)).toBe(expected);
  });
});

describe('shortId', () => {
  it.each([
    ['sha256:f746d1db2b9be710bc3082dfdf1fcaca08063bd1879b9838dd61f814436e8985', 'f746d1db2b9b'],
    ['fdeaaf5393900100687792b1df606c533b9919585eeafb33e60401487c2b319e', 'fdeaaf539390'],
    ['abc', 'abc'],
  ])('should shorten %s', (id, expected) => {
    expect(shortId(id)).toBe(expected);
  });
});

describe('stateOf', () => {
  it.each([
    [{}, 'running'],
    [{ deletionTimestamp: '2026-01-10T12:00:00Z' }, 'Terminating'],
  ])('should give the state when the metadata is %j', (metadata, expected) => {
    expect(stateOf(metadata, 'running')).toBe(expected);
  });
});

describe('listCell', () => {
  it.each([
    [[], '<none>'],
    [['a'], 'a'],
    [['a', 'b'], 'a,b'],
  ])('should print %j as %s', (values, expected) => {
    expect(listCell(values)).toBe(expected);
  });
});
