import winston from 'winston';
import Transport from 'winston-transport';
import { logsPerWindow, logWindowMs, RejectionCounter, subjectSource } from './rejections.js';

/** A logger that keeps its warn lines. */
function recordingLogger(): { logger: winston.Logger; lines: string[] } {
  const lines: string[] = [];
  const transport = new Transport();
  transport.log = (info: { message: string }, next: () => void) => {
    lines.push(info.message);
    next();
  };
  return { logger: winston.createLogger({ transports: [transport] }), lines };
}

describe('RejectionCounter', () => {
  let now = 0;
  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000_000;
  });
  afterEach(() => jest.useRealTimers());

  it('should count rejections per source and in total', () => {
    // Arrange
    const counter = new RejectionCounter(() => now);

    // Act
    counter.record('vm.status', 'a message', 'not JSON');
    counter.record('vm.status', 'a message', 'not JSON');
    counter.record('store.App', 'the stored App.app', 'spec: required');

    // Assert
    expect(counter.snapshot()).toEqual({ total: 3, bySource: { 'store.App': 1, 'vm.status': 2 } });
  });

  it('should log the first rejections of a source per minute, then one summary of the rest', () => {
    // Arrange
    const counter = new RejectionCounter(() => now);
    const { logger, lines } = recordingLogger();

    // Act
    for (let i = 0; i < logsPerWindow + 20; i++) counter.record('vm.status', `message ${i}`, 'not JSON', logger);
    const beforeSummary = lines.length;
    now += logWindowMs;
    jest.advanceTimersByTime(logWindowMs);

    // Assert
    expect(beforeSummary).toBe(logsPerWindow);
    expect(lines[0]).toBe('rejected message 0: not JSON');
    expect(lines).toHaveLength(logsPerWindow + 1);
    expect(lines.at(-1)).toBe(
      `rejected 20 more from vm.status in the last minute without logging each (${logsPerWindow + 20} in all)`,
    );
    expect(counter.snapshot().total).toBe(logsPerWindow + 20);
  });

  it('should limit each source on its own and log again once the minute has passed', () => {
    // Arrange
    const counter = new RejectionCounter(() => now);
    const { logger, lines } = recordingLogger();
    for (let i = 0; i < logsPerWindow; i++) counter.record('vm.status', 'flood', 'x', logger);

    // Act
    counter.record('engine.status', 'other', 'y', logger);
    now += logWindowMs;
    counter.record('vm.status', 'later', 'z', logger);

    // Assert
    expect(lines.slice(logsPerWindow)).toEqual(['rejected other: y', 'rejected later: z']);
  });

  it('should count a stored value once however often it is read, and each new revision again', () => {
    // Arrange
    const counter = new RejectionCounter(() => now);

    // Act
    counter.recordValue('store.App', 'App.app@7', 'the stored App.app', 'bad');
    counter.recordValue('store.App', 'App.app@7', 'the stored App.app', 'bad');
    counter.recordValue('store.App', 'App.app@9', 'the stored App.app', 'bad');

    // Assert
    expect(counter.snapshot().bySource).toEqual({ 'store.App': 2 });
  });

  it('should log through the logger it was given when a validation point has none', () => {
    // Arrange
    const counter = new RejectionCounter(() => now);
    const { logger, lines } = recordingLogger();
    counter.useLogger(logger);

    // Act
    counter.record('engine.events', 'an engine event', 'Type: required');

    // Assert
    expect(lines).toEqual(['rejected an engine event: Type: required']);
  });
});

describe('subjectSource', () => {
  it.each([
    ['rdd.dev.vm.status', 'vm.status'],
    ['rdd.dev.mirrors.Container.abc.state', 'mirrors.Container.abc.state'],
    ['rdd.dev.debug.crash', 'debug.crash'],
  ])('should name %s by %s', (subject, source) => {
    expect(subjectSource(subject)).toBe(source);
  });
});
