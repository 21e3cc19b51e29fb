import type { NatsConnection } from '@nats-io/transport-node';
import { rejections } from '../bus/rejections.js';
import { silentLogger } from '../logging.js';
import type { CrashInjectable } from '../supervision/types.js';
import { faultInjectionChild } from './fault-injection.child.js';

type Callback = (error: Error | null, msg: unknown) => void;

/** A fake bus that keeps each subscription's callback by its subject, and delivers on a subject as nats.js would. */
function subjectBus() {
  const callbacks = new Map<string, Callback>();
  const nc = {
    subscribe: (subject: string, options: { callback: Callback }) => {
      callbacks.set(subject, options.callback);
      return { unsubscribe: () => callbacks.delete(subject) };
    },
  } as unknown as NatsConnection;
  const deliver = (on: string, msg: Record<string, unknown>): void => callbacks.get(on)?.(null, msg);
  return { nc, deliver, subscribed: () => [...callbacks.keys()] };
}

/** The fault-injection child on a fake bus; `request` sends a body and collects the reply. */
async function startFaults() {
  const { nc, deliver } = subjectBus();
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
      deliver('rdd.unit.debug.crash', {
        subject: 'rdd.unit.debug.crash',
        json: () => JSON.parse(text) as unknown,
        respond: (reply: string) => resolve(JSON.parse(reply) as never),
      }),
    );
  /** A stored stream message a reader's consumer delivers onto the crash subject: it keeps its own subject. */
  const replay = (storedSubject: string) => {
    const answered: string[] = [];
    deliver('rdd.unit.debug.crash', {
      subject: storedSubject,
      reply: '$JS.ACK.KV_unit.replayer.1.1.1.1700000000000000000.0',
      json: () => ({ supervisor: 'app', child: 'vm' }),
      respond: (reply: string) => void answered.push(reply),
    });
    return answered;
  };
  return { request, replay, crashes, stop: () => running.stop('shutdown') };
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

describe('faultInjectionChild and replays', () => {
  it('should count a stored message replayed onto the crash subject, under its own subject, and crash nothing', async () => {
    // Arrange
    const faults = await startFaults();
    const before = counted();

    // Act
    const answered = faults.replay('rdd.unit.supervision.app.vm');

    // Assert
    expect(counted()).toBe(before + 1);
    expect(answered).toEqual([]);
    expect(faults.crashes).toEqual([]);
    await faults.stop();
  });
});

describe('faultInjectionChild memory probe', () => {
  /** Delivers one message on `subject` to the child and collects the reply. */
  async function requestOn(subject: string) {
    const { nc, deliver } = subjectBus();
    const running = await faultInjectionChild('unit', new Map()).start({
      lookup: <V>() => ({ nc }) as V,
      logger: silentLogger(),
    });
    const reply = await new Promise<Record<string, unknown>>((resolve) =>
      deliver(subject, { subject, json: () => ({}), respond: (text: string) => resolve(JSON.parse(text) as never) }),
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

  it('should listen on the crash and memory subjects only, not on every debug subject', async () => {
    // Arrange
    const { nc, subscribed } = subjectBus();

    // Act
    const running = await faultInjectionChild('unit', new Map()).start({
      lookup: <V>() => ({ nc }) as V,
      logger: silentLogger(),
    });

    // Assert
    expect(subscribed().sort()).toEqual(['rdd.unit.debug.crash', 'rdd.unit.debug.memory']);
    await running.stop('shutdown');
  });
});
