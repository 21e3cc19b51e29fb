/** The words of an interrupted wait, and the grace period a stop accepts. */
import { describeInterrupt, instanceArgument } from './interrupt.js';
import { parseStopTime } from './flags.js';

describe('describeInterrupt', () => {
  it('should name what goes on and the command that follows it', () => {
    expect(
      describeInterrupt({ background: 'the engine keeps starting in the background', follow: 'rdd ctl wait app/app' }),
    ).toBe('Interrupted: the engine keeps starting in the background; follow it with: rdd ctl wait app/app');
  });

  it('should name the instance in the command only when it is not the default one', () => {
    expect(instanceArgument('default')).toBe('');
    expect(instanceArgument('dev')).toBe(' --instance dev');
  });
});

describe('parseStopTime', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['100', 100],
  ])('should accept %s seconds', (input, seconds) => {
    expect(parseStopTime(input)).toBe(seconds);
  });

  it.each(['-1', '101', '1.5', 'ten', ''])('should refuse %j, naming the allowed values', (input) => {
    expect(() => parseStopTime(input)).toThrow(/whole number of seconds from 0 to 100/);
  });
});
