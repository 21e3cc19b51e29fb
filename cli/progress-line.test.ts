/** The progress line: drawn and cleared on a terminal, nothing at all elsewhere. */
import { showProgress } from './progress-line.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('showProgress', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should redraw one line on a terminal, then clear it', () => {
    const { stream, written } = fakeStream(true);

    const done = showProgress('stop of container web', stream);
    jest.advanceTimersByTime(1_100);
    done();

    expect(written.length).toBeGreaterThan(2);
    expect(written[0]?.startsWith('\r\x1b[2K')).toBe(true);
    expect(written[0]).toMatch(/\S stop of container web \(0s\)$/);
    expect(written.at(-2)).toMatch(/stop of container web \(1s\)$/);
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  it('should write nothing when the stream is not a terminal', () => {
    const { stream, written } = fakeStream(false);

    const done = showProgress('stop of container web', stream);
    jest.advanceTimersByTime(1_000);
    done();

    expect(written).toEqual([]);
  });
});
