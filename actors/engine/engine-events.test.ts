import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { recordingLogger } from '../bus/recording-logger.fixtures.js';
import { rejections } from '../bus/rejections.js';
import { parseEngineEvent, RoutingFailures, subscribeEngineEvents, type EngineEvent } from './engine-events.js';

const counted = () => rejections.snapshot().bySource['engine.events'] ?? 0;

describe('parseEngineEvent', () => {
  it('should take an event as the engine sent it, fields rdd does not read included', () => {
    // Arrange
    const line = JSON.stringify({
      Type: 'container',
      Action: 'start',
      Actor: { ID: 'abc', Attributes: { name: 'web' } },
      scope: 'local',
      time: 1,
      timeNano: 1000,
    });
    const before = counted();

    // Act
    const event = parseEngineEvent(line);

    // Assert
    expect(event).toEqual(JSON.parse(line));
    expect(counted()).toBe(before);
  });

  it.each([
    ['not JSON', '{"Type":"container"'],
    ['without an Action', '{"Type":"container"}'],
    ['with attributes that are not strings', '{"Type":"container","Action":"start","Actor":{"Attributes":{"n":1}}}'],
    ['not an object', '"start"'],
  ])('should drop and count a line that is %s', (_case, line) => {
    const before = counted();

    expect(parseEngineEvent(line)).toBeNull();
    expect(counted()).toBe(before + 1);
  });
});

describe('subscribeEngineEvents', () => {
  /** An engine whose event stream the test writes. */
  function engineStream() {
    const stream = new PassThrough();
    const docker = { getEvents: () => Promise.resolve(stream) } as unknown as Docker;
    return { docker, stream };
  }

  const event = (action: string, id: string): string =>
    `${JSON.stringify({ Type: 'container', Action: action, Actor: { ID: id } })}\n`;

  it('should log and count an exception while routing, and route the events after it', async () => {
    // Arrange
    const { docker, stream } = engineStream();
    const { logger, lines } = recordingLogger();
    const failures = new RoutingFailures();
    failures.useLogger(logger);
    const routed: string[] = [];
    const allRouted = new Promise<void>((resolve) => {
      const cancel = subscribeEngineEvents(
        docker,
        0,
        {
          onEvent: (routedEvent: EngineEvent) => {
            routed.push(routedEvent.Action);
            if (routedEvent.Action === 'die') throw new Error('the router tripped');
            if (routed.length === 3) {
              cancel();
              resolve();
            }
          },
          onEnd: () => undefined,
        },
        failures,
      );
    });

    // Act
    stream.write(event('start', 'a1'));
    stream.write(event('die', 'b2'));
    stream.write(event('destroy', 'c3'));
    await allRouted;

    // Assert: the failure was counted and logged with the event, and the stream went on
    expect(failures.count).toBe(1);
    expect(lines).toEqual([
      'warn failed to route the engine event container die of b2: the router tripped (1 routing failures so far)',
    ]);
    expect(routed).toEqual(['start', 'die', 'destroy']);
  });

  it('should log at most a few failures a minute, and count them all', () => {
    let now = 0;
    const failures = new RoutingFailures(() => now);
    const { logger, lines } = recordingLogger();
    failures.useLogger(logger);
    const failing: EngineEvent = { Type: 'container', Action: 'start', Actor: { ID: 'x' } };

    for (let i = 0; i < 20; i++) failures.record(failing, new Error('again'));
    const loggedInFirstMinute = lines.length;
    now = 60_000;
    failures.record(failing, new Error('later'));

    expect(failures.count).toBe(21);
    expect(loggedInFirstMinute).toBe(5);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatch(/: later \(21 routing failures so far\)$/);
  });
});
