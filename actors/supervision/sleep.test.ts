import { sleep } from './sleep.js';

describe('sleep', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('should resolve only once the delay has passed when not aborted', async () => {
    // Arrange
    let done = false;
    void sleep(100, new AbortController().signal).then(() => (done = true));

    // Act
    await jest.advanceTimersByTimeAsync(99);
    const early = done;
    await jest.advanceTimersByTimeAsync(1);

    // Assert
    expect(early).toBe(false);
    expect(done).toBe(true);
  });

  it('should resolve at once and clear its timer when the signal aborts', async () => {
    // Arrange
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);

    // Act
    controller.abort();
    await slept;

    // Assert
    expect(jest.getTimerCount()).toBe(0);
  });

  it('should not start a timer when the signal is already aborted', async () => {
    // Arrange
    const controller = new AbortController();
    controller.abort();

    // Act
    await sleep(60_000, controller.signal);

    // Assert
    expect(jest.getTimerCount()).toBe(0);
  });
});
