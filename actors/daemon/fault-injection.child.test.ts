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

/**
 * The fault-injection child on a fake bus; `request` sends a body and collects the reply. `happened`
 * keeps each reply and each crash in order; `crashed` settles on the first crash.
 */
async function startFaults() {
  const { nc, deliver } = subjectBus();
  const crashes: string[] = [];
  const happened: string[] = [];
  let crashSeen = (): void => undefined;
  const crashed = new Promise<void>((resolve) => (crashSeen = resolve));
  const registry = new Map<string, CrashInjectable>([
    [
      'app',
      {
        injectCrash: (child: string) => {
          crashes.push(child);
          happened.push(`crash ${child}`);
          crashSeen();
        },
      },
    ],
  ]);
  const running = await faultInjectionChild('unit', registry).start({
    lookup: <V>() => ({ nc }) as V,
    logger: silentLogger(),
  });
  const request = (text: string) =>
    new Promise<{ ok: boolean; error?: string }>((resolve) =>
      deliver('rdd.unit.debug.crash', {
        subject: 'rdd.unit.debug.crash',
        data: new TextEncoder().encode(text),
        respond: (bytes: Uint8Array) => {
          const reply = Buffer.from(bytes).toString('utf8');
          happened.push(`reply ${reply}`);
          resolve(JSON.parse(reply) as never);
        },
      }),
    );
  /** A stored stream message a reader's consumer delivers onto `on`: it keeps its own subject. */
  const replay = (storedSubject: string, on = 'rdd.unit.debug.crash') => {
    const answered: string[] = [];
    deliver(on, {
      subject: storedSubject,
      reply: '$JS.ACK.KV_unit.replayer.1.1.1.1700000000000000000.0',
      data: new TextEncoder().encode('{"supervisor":"app","child":"vm"}'),
      respond: (reply: Uint8Array) => void answered.push(Buffer.from(reply).toString('utf8')),
    });
    return answered;
  };
  return { request, replay, crashes, happened, crashed, stop: () => running.stop('shutdown') };
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

describe('faultInjectionChild crash order', () => {
  it('should reply before it crashes the child, since the crash may take down the connection', async () => {
    // Arrange
    const faults = await startFaults();

    // Act
    await faults.request('{"supervisor":"app","child":"vm"}');
    await faults.crashed;

    // Assert
    expect(faults.happened).toEqual(['reply {"ok":true}', 'crash vm']);
    await faults.stop();
  });

  it('should refuse a supervisor it does not know, naming the known ones, and crash nothing', async () => {
    // Arrange
    const faults = await startFaults();
    const before = counted();

    // Act
    const reply = await faults.request('{"supervisor":"nope","child":"vm"}');

    // Assert
    expect(reply).toEqual({ ok: false, error: 'no supervisor nope; known: app' });
    expect(faults.crashes).toEqual([]);
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
  it('should count a stored message replayed onto the memory subject under debug.memory, and answer nothing', async () => {
    // Arrange
    const faults = await startFaults();
    const before = rejections.snapshot().bySource['debug.memory'] ?? 0;

    // Act
    const answered = faults.replay('rdd.unit.supervision.app.vm', 'rdd.unit.debug.memory');

    // Assert
    expect(rejections.snapshot().bySource['debug.memory'] ?? 0).toBe(before + 1);
    expect(answered).toEqual([]);
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
      deliver(subject, {
        subject,
        data: new TextEncoder().encode('{}'),
        respond: (bytes: Uint8Array) => resolve(JSON.parse(Buffer.from(bytes).toString('utf8')) as never),
      }),
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
