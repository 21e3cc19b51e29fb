import { oneSubscriptionBus } from '../bus/one-subscription-bus.fixtures.js';
import { rejections } from '../bus/rejections.js';
import { silentLogger } from '../logging.js';
import type { CrashInjectable } from '../supervision/types.js';
import { faultInjectionChild } from './fault-injection.child.js';

/** The fault-injection child on a fake bus; `request` sends a body and collects the reply. */
async function startFaults() {
  const { nc, deliver } = oneSubscriptionBus();
  const crashes: string[] = [];
  const registry = new Map<string, CrashInjectable>([
    ['app', { injectCrash: (child: string) => void crashes.push(child) }],
  ]);
  const running = await faultInjectionChild('unit', registry).start({
    lookup: <V>() => ({ nc }) as V,
    logger: silentLogger(),
  });
  const request = (text: string) =>
    new Promise<{ ok: boolean; error?: string }>((resolve) =>
      deliver({
        subject: 'rdd.unit.debug.crash',
        json: () => JSON.parse(text) as unknown,
        respond: (reply: string) => resolve(JSON.parse(reply) as never),
      }),
    );
  return { request, crashes, stop: () => running.stop('shutdown') };
}

const counted = () => rejections.snapshot().bySource['debug.crash'] ?? 0;

describe('faultInjectionChild', () => {
  it.each([
    ['not JSON', '{supervisor', /not JSON/],
    ['missing the child', '{"supervisor":"app"}', /child: /],
    ['with a field too many', '{"supervisor":"app","child":"vm","now":true}', /Unrecognized key/],
  ])('should refuse and count a request %s, and crash nothing', async (_case, text, issue) => {
    // Arrange
    const faults = await startFaults();
    const before = counted();

    // Act
    const reply = await faults.request(text);

    // Assert
    expect(reply).toEqual({ ok: false, error: expect.stringMatching(issue) });
    expect(counted()).toBe(before + 1);
    expect(faults.crashes).toEqual([]);
    await faults.stop();
  });

  it('should crash the child a valid request names, counting nothing', async () => {
    // Arrange
    const faults = await startFaults();
    const before = counted();

    // Act
    const reply = await faults.request('{"supervisor":"app","child":"vm"}');

    // Assert
    expect(reply).toEqual({ ok: true });
    expect(faults.crashes).toEqual(['vm']);
    expect(counted()).toBe(before);
    await faults.stop();
  });
});

describe('faultInjectionChild memory probe', () => {
  /** Delivers one message on `subject` to the child and collects the reply. */
  async function requestOn(subject: string) {
    const { nc, deliver } = oneSubscriptionBus();
    const running = await faultInjectionChild('unit', new Map()).start({
      lookup: <V>() => ({ nc }) as V,
      logger: silentLogger(),
    });
    const reply = await new Promise<Record<string, unknown>>((resolve) =>
      deliver({ subject, json: () => ({}), respond: (text: string) => resolve(JSON.parse(text) as never) }),
    );
    await running.stop('shutdown');
    return reply;
  }

  it('should answer the memory after a full GC on debug.memory', async () => {
    // Act
    const reply = await requestOn('rdd.unit.debug.memory');

    // Assert
    expect(reply).toEqual({
      rss: expect.any(Number),
      heapUsed: expect.any(Number),
      heapTotal: expect.any(Number),
      external: expect.any(Number),
      arrayBuffers: expect.any(Number),
    });
    expect(reply.heapUsed as number).toBeGreaterThan(0);
    expect(reply.heapUsed as number).toBeLessThanOrEqual(reply.heapTotal as number);
  });

  it('should refuse a debug request on a subject it does not know, naming the ones it does', async () => {
    // Act
    const reply = await requestOn('rdd.unit.debug.other');

    // Assert
    expect(reply).toEqual({
      ok: false,
      error: 'no debug request on rdd.unit.debug.other; known: rdd.unit.debug.crash or rdd.unit.debug.memory',
    });
  });
});
