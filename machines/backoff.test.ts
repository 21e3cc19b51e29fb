import { backoffMs, formatSeconds, jitterMs } from './backoff.js';

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

  it.each([
    [0, 500],
    [0.5, 750],
    [1, 1000],
  ])('should spread the delay between half and all of it when the random draw is %d', (random, expected) => {
    // Arrange / Act
    const delay = jitterMs(1000, random);

    // Assert
    expect(delay).toBe(expected);
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
