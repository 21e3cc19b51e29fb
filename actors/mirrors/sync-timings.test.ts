import { SyncTimings } from './sync-timings.js';

describe('SyncTimings', () => {
  it('should add up a phase run several times and name the phases in the order they first ran', async () => {
    // Arrange
    const timings = new SyncTimings();

    // Act
    await timings.time('store', () => Promise.resolve());
    timings.timeSync('list', () => undefined);
    await timings.time('store', () => Promise.resolve());
    timings.finish();

    // Assert
    expect(timings.describe()).toMatch(/^store \d+ ms, list \d+ ms; daemon CPU \d+ ms in \d+ ms$/);
  });

  it('should count a phase that failed and pass its error on', async () => {
    // Arrange
    const timings = new SyncTimings();

    // Act
    const failed = timings.time('observe', () => Promise.reject(new Error('inspect failed')));

    // Assert
    await expect(failed).rejects.toThrow('inspect failed');
    expect(timings.describe()).toMatch(/^observe \d+ ms$/);
  });
});
