import { ApiError } from '../protocol/api-error.js';
import { attemptTimeoutMs, Deadline, untilAnswered } from './deadline.js';
import { WaitTimeoutError } from './exit-codes.js';

describe('untilAnswered', () => {
  it('should send again after no answer and return the first answer, saying once why it waits', async () => {
    const progress = jest.fn();
    const attempt = jest
      .fn<Promise<string>, [number]>()
      .mockRejectedValueOnce(new ApiError('Timeout', 'no answer to app.set within 3000 ms'))
      .mockRejectedValueOnce(new ApiError('Timeout', 'no answer to app.set within 3000 ms'))
      .mockResolvedValueOnce('answered');

    const answer = await untilAnswered(Deadline.after(10_000), attempt, { what: 'app.set', progress });

    expect(answer).toBe('answered');
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(progress.mock.calls).toEqual([
      ['still waiting for app.set (no answer to app.set within 3000 ms); trying again'],
    ]);
  });

  it('should pass an answer that refuses straight through', async () => {
    const attempt = jest.fn().mockRejectedValue(new ApiError('Invalid', 'unknown property "runing"'));

    const asking = untilAnswered(Deadline.after(10_000), attempt, { what: 'app.set', progress: jest.fn() });

    await expect(asking).rejects.toMatchObject({ code: 'Invalid' });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('should give up at the deadline naming what it waited for and the last failure', async () => {
    const attempt = jest.fn().mockRejectedValue(new ApiError('Unavailable', 'connection refused'));

    const asking = untilAnswered(Deadline.after(300), attempt, {
      what: 'the rdd bus',
      progress: jest.fn(),
      onTimeout: 'nothing was sent',
    });

    await expect(asking).rejects.toThrow(WaitTimeoutError);
    await expect(asking).rejects.toThrow(
      'timed out after 300ms waiting for the rdd bus; last: connection refused; nothing was sent',
    );
  });

  it('should make one full attempt even when the deadline has already passed', async () => {
    const attempt = jest.fn().mockResolvedValue('answered');

    const answer = await untilAnswered(Deadline.after(1), attempt, { what: 'app.set', progress: jest.fn() });

    expect(answer).toBe('answered');
    expect(attempt).toHaveBeenCalledWith(attemptTimeoutMs);
  });
});
