import { z } from 'zod';
import { silentLogger } from '../logging.js';
import { oneSubscriptionBus } from './one-subscription-bus.fixtures.js';
import { rejections } from './rejections.js';
import { helloSchema, subscribeParsed } from './subscribe-parsed.js';

/** A bus with one subscription; `deliver` hands it a message with this exact body. */
function fakeBus() {
  const { nc, deliver: deliverMsg } = oneSubscriptionBus();
  const deliver = (text: string, reply?: string) =>
    deliverMsg({
      subject: 'rdd.unit.vm.status',
      reply,
      headers: undefined,
      json: () => JSON.parse(text) as unknown,
    });
  return { nc, deliver };
}

const reportSchema = z.object({ status: z.enum(['True', 'False']) });
const counted = () => rejections.snapshot().bySource['vm.status'] ?? 0;

describe('subscribeParsed', () => {
  it('should hand on a message that parses and validates', () => {
    // Arrange
    const bus = fakeBus();
    const handled: unknown[] = [];
    subscribeParsed(bus.nc, 'rdd.unit.vm.status', reportSchema, silentLogger(), (value) => handled.push(value));
    const before = counted();

    // Act
    bus.deliver('{"status":"True"}');

    // Assert
    expect(handled).toEqual([{ status: 'True' }]);
    expect(counted()).toBe(before);
  });

  it.each([
    ['not JSON', 'status: True'],
    ['empty', ''],
    ['of the wrong shape', '{"status":"Maybe"}'],
    ['of the wrong type', '[1,2]'],
  ])('should drop and count a message that is %s, without throwing', (_case, text) => {
    // Arrange
    const bus = fakeBus();
    const handled: unknown[] = [];
    subscribeParsed(bus.nc, 'rdd.unit.vm.status', reportSchema, silentLogger(), (value) => handled.push(value));
    const before = counted();

    // Act
    const deliver = () => bus.deliver(text);

    // Assert
    expect(deliver).not.toThrow();
    expect(handled).toEqual([]);
    expect(counted()).toBe(before + 1);
  });

  it('should drop and count a valid message replayed by a JetStream consumer', () => {
    // Arrange
    const bus = fakeBus();
    const handled: unknown[] = [];
    subscribeParsed(bus.nc, 'rdd.unit.vm.status', reportSchema, silentLogger(), (value) => handled.push(value));
    const before = counted();

    // Act
    bus.deliver('{"status":"True"}', '$JS.ACK.KV_rdd_unit_resources.abc.1.7.1.1796150895179056714.4');

    // Assert
    expect(handled).toEqual([]);
    expect(counted()).toBe(before + 1);
  });

  it('should keep a failing handler inside the callback', () => {
    // Arrange
    const bus = fakeBus();
    subscribeParsed(bus.nc, 'rdd.unit.vm.status', reportSchema, silentLogger(), () => {
      throw new Error('boom');
    });

    // Act
    const deliver = () => bus.deliver('{"status":"False"}');

    // Assert
    expect(deliver).not.toThrow();
  });
});

describe('helloSchema', () => {
  it.each([
    [{ from: 'vm' }, true],
    [{ from: 'engine' }, true],
    [{ from: 'stranger' }, false],
    [{ from: 'vm', extra: 1 }, false],
    [{}, false],
  ])('should take %j as a hello: %s', (body, valid) => {
    expect(helloSchema.safeParse(body).success).toBe(valid);
  });
});
