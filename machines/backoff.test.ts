import { backoffMs, formatSeconds, type Backoff } from './backoff.js';

describe('backoff', () => {
  it.each([
    [0, 1000],
    [1, 1000],
    [2, 2000],
    [5, 16_000],
    [6, 30_000],
    [40, 30_000],
  ])('should wait the capped exponential delay when it is attempt %i', (attempt, expected) => {
    // Arrange
    const backoff = { initialMs: 1000, maxMs: 30_000 };

    // Act
    const delay = backoffMs(attempt, backoff);

    // Assert
    expect(delay).toBe(expected);
  });

  const jittered: Backoff = { initialMs: 100, maxMs: 1_000, jitter: 0.2 };

  it.each([
    { attempt: 1, random: 0.5, expected: 100 },
    { attempt: 2, random: 0.5, expected: 200 },
    { attempt: 3, random: 0.5, expected: 400 },
    { attempt: 5, random: 0.5, expected: 1_000 },
    { attempt: 40, random: 0.5, expected: 1_000 },
    { attempt: 1, random: 0, expected: 80 },
    { attempt: 1, random: 1, expected: 120 },
    { attempt: 5, random: 1, expected: 1_200 },
  ])('should be $expected ms when attempt $attempt draws random $random', ({ attempt, random, expected }) => {
    // Act
    const delay = backoffMs(attempt, jittered, () => random);

    // Assert
    expect(delay).toBeCloseTo(expected, 6);
  });

  it('should grow by the factor when one is given', () => {
    // Act
    const delays = [1, 2, 3].map((attempt) => backoffMs(attempt, { initialMs: 100, maxMs: 10_000, factor: 3 }));

    // Assert
    expect(delays).toEqual([100, 300, 900]);
  });

  it('should quote the centre of the spread when no random draw is given', () => {
    // Act
    const delay = backoffMs(2, jittered);

    // Assert
    expect(delay).toBe(200);
  });

  it('should never be negative when the jitter exceeds the delay', () => {
    // Act
    const delay = backoffMs(1, { ...jittered, jitter: 2 }, () => 0);

    // Assert
    expect(delay).toBe(0);
  });

  it.each([
    [0, '0s'],
    [500, '0.5s'],
    [1000, '1s'],
    [2500, '2.5s'],
    [16_000, '16s'],
    [12_345, '12s'],
  ])('should read %i ms as %s when quoted in a message', (ms, expected) => {
    // Arrange / Act
    const text = formatSeconds(ms);

    // Assert
    expect(text).toBe(expected);
  });
});
