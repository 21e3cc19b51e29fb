import { rejections } from '../bus/rejections.js';
import { parseEngineEvent } from './engine-events.js';

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
