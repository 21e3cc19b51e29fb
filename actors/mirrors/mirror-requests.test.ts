import { silentLogger } from '../logging.js';
import { oneSubscriptionBus } from '../bus/one-subscription-bus.fixtures.js';
import { rejections } from '../bus/rejections.js';
import { listenForMirrorRequests } from './mirror-requests.js';

/** A bus with the wildcard subscription; `request` sends a body to a subject and collects the reply. */
function fakeBus() {
  const { nc, deliver } = oneSubscriptionBus();
  const request = (subject: string, text: string) =>
    new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve) =>
      deliver({
        subject,
        data: new TextEncoder().encode(text),
        respond: (reply: Uint8Array) => resolve(JSON.parse(Buffer.from(reply).toString('utf8')) as never),
      }),
    );
  return { nc, request };
}

const counted = () => rejections.snapshot().bySource['mirrors.request'] ?? 0;

describe('listenForMirrorRequests', () => {
  it.each([
    ['not JSON', 'state', '{state:', /not JSON/],
    ['an unknown verb', 'rename', '{}', /unknown mirror request "rename"/],
    ['a bad state', 'state', '{"state":"flying"}', /state: /],
    ['an extra field', 'action', '{"action":"start","now":true}', /Unrecognized key/],
  ])('should refuse and count %s before any owner sees it', async (_case, verb, text, issue) => {
    // Arrange
    const bus = fakeBus();
    const handled: unknown[] = [];
    listenForMirrorRequests(bus.nc, 'unit', silentLogger(), (...args) => {
      handled.push(args);
      return Promise.resolve({});
    });
    const before = counted();

    // Act
    const reply = await bus.request(`rdd.unit.mirrors.Container.abc.${verb}`, text);

    // Assert
    expect(reply).toEqual({ ok: false, error: { code: 'Invalid', message: expect.stringMatching(issue) } });
    expect(handled).toEqual([]);
    expect(counted()).toBe(before + 1);
  });

  it('should hand a valid request to its owner and count nothing', async () => {
    // Arrange
    const bus = fakeBus();
    const handled: unknown[] = [];
    listenForMirrorRequests(bus.nc, 'unit', silentLogger(), (...args) => {
      handled.push(args);
      return Promise.resolve({ done: true });
    });
    const before = counted();

    // Act
    const reply = await bus.request('rdd.unit.mirrors.Container.abc.state', '{"state":"running"}');

    // Assert
    expect(reply).toEqual({ ok: true, result: { done: true } });
    expect(handled).toEqual([['Container', 'abc', 'state', { state: 'running' }]]);
    expect(counted()).toBe(before);
  });
});
