import type { NatsConnection } from '@nats-io/transport-node';
import winston from 'winston';
import { createActor, createMachine } from 'xstate';
import { inspectionDetailLimit, type InspectionEvent } from '../../protocol/inspection.schema.js';
import { rejections } from '../bus/rejections.js';
import { detailOf, Inspection, stateText } from './inspection.js';
import { inspectionChild } from './inspection.child.js';
import { withTrace } from '../trace.js';

/** A bus that records what is published and lets the test grant the lease. */
function fakeBus() {
  const published: { subject: string; message: InspectionEvent }[] = [];
  let lease: ((error: null, msg: unknown) => void) | undefined;
  const replies: unknown[] = [];
  const nc = {
    isClosed: () => false,
    publish: (subject: string, data: string) =>
      void published.push({ subject, message: JSON.parse(data) as InspectionEvent }),
    subscribe: (_subject: string, options: { callback: (error: null, msg: unknown) => void }) => {
      lease = options.callback;
      return { unsubscribe: () => undefined };
    },
  } as unknown as NatsConnection;
  /** Delivers a lease request with this exact body, asking for a reply. */
  const requestLease = (text: string) =>
    lease?.(null, {
      subject: 'rdd.unit.inspection.lease',
      data: new TextEncoder().encode(text),
      string: () => text,
      reply: '_INBOX.unit',
      respond: (data: string) => void replies.push(JSON.parse(data)),
    });
  const grantLease = (ttlMs = 60_000) => requestLease(JSON.stringify({ ttlMs }));
  return { nc, published, grantLease, requestLease, replies };
}

const toggle = createMachine({
  id: 'toggle',
  initial: 'off',
  states: {
    off: { on: { FLIP: 'on' } },
    on: { initial: 'warming', states: { warming: { on: { WARM: 'warm' } }, warm: {} }, on: { FLIP: 'off' } },
  },
});

describe('Inspection', () => {
  it('should publish nothing and attach no observer while nobody holds a lease', () => {
    // Arrange
    const bus = fakeBus();
    const inspection = Inspection.start(bus.nc, 'unit');
    const actor = createActor(toggle);
    inspection.attach('toggle', actor);

    // Act
    actor.start();
    actor.send({ type: 'FLIP' });

    // Assert
    expect(bus.published).toEqual([]);
    expect(inspection.states.get('toggle')).toBe('on.warming');
  });

  it('should publish the transitions taken, from the state the lease found, with the event behind each', () => {
    // Arrange
    const bus = fakeBus();
    const inspection = Inspection.start(bus.nc, 'unit');
    const actor = createActor(toggle);
    inspection.attach('toggle', actor);
    actor.start();
    bus.grantLease();

    // Act
    actor.send({ type: 'FLIP' });
    actor.send({ type: 'WARM' });
    actor.send({ type: 'FLIP' });

    // Assert
    const transitions = bus.published
      .filter(({ message }) => message.type === 'transition')
      .map(({ message }) => message);
    expect(transitions.map(({ from, to, event }) => [from, to, event])).toEqual([
      ['off', 'on.warming', 'FLIP'],
      ['on.warming', 'on.warm', 'WARM'],
      ['on.warm', 'off', 'FLIP'],
    ]);
    expect(bus.published.filter(({ message }) => message.type === 'event').map(({ message }) => message.event)).toEqual(
      ['FLIP', 'WARM', 'FLIP'],
    );
    expect(bus.published[0]!.subject).toMatch(/^rdd\.unit\.inspect\.toggle\.(event|transition)$/);
  });

  it('should tag messages with the request id of the traced work that caused them', () => {
    // Arrange
    const bus = fakeBus();
    const inspection = Inspection.start(bus.nc, 'unit');
    const actor = createActor(toggle);
    inspection.attach('toggle', actor);
    actor.start();
    bus.grantLease();

    // Act
    withTrace('abc123', () => actor.send({ type: 'FLIP' }));
    actor.send({ type: 'FLIP' });

    // Assert
    const traces = bus.published.map(({ message }) => message.trace);
    expect(traces.slice(0, 2)).toEqual(['abc123', 'abc123']);
    expect(traces.at(-1)).toBeUndefined();
  });
});

describe('Inspection lease requests', () => {
  it.each([
    ['not JSON', '{ttlMs: 5', 'not JSON'],
    ['a ttl that is no number', '{"ttlMs":"forever"}', 'ttlMs'],
    ['a ttl over the limit', '{"ttlMs":600000}', 'ttlMs'],
  ])('should refuse, count and not grant a lease when the request is %s', (_case, body, issue) => {
    // Arrange
    const bus = fakeBus();
    const inspection = Inspection.start(bus.nc, 'unit');
    const before = rejections.snapshot().bySource['inspection.lease'] ?? 0;

    // Act
    bus.requestLease(body);

    // Assert
    expect(rejections.snapshot().bySource['inspection.lease']).toBe(before + 1);
    expect(bus.replies).toEqual([{ ok: false, error: { code: 'Invalid', message: expect.stringContaining(issue) } }]);
    expect(inspection.active).toBe(false);
  });

  it('should grant the default lease when the request has no body', () => {
    // Arrange
    const bus = fakeBus();
    const inspection = Inspection.start(bus.nc, 'unit');

    // Act
    bus.requestLease('');

    // Assert
    expect(inspection.active).toBe(true);
    expect(bus.replies).toEqual([{ ok: true, result: { until: expect.any(String) } }]);
  });
});

describe('inspectionChild', () => {
  const childContext = (nc: NatsConnection) => ({
    logger: winston.createLogger({ silent: true }),
    lookup: <V>(id: string): V => {
      // A store with no containers: what the child follows while leased is tested in container-states.
      if (id === 'store') return { watch: async function* () {} } as V;
      if (id !== 'bus') throw new Error(`no ${id} here`);
      return { nc } as V;
    },
  });

  it('should keep inspecting on a new bus connection with the lease the stopped incarnation held', async () => {
    // Arrange
    const child = inspectionChild('lease-carry');
    const first = fakeBus();
    const firstRun = await child.start(childContext(first.nc));
    first.grantLease();
    await firstRun.stop('restart');
    const second = fakeBus();
    const actor = createActor(toggle);

    // Act
    const secondRun = await child.start(childContext(second.nc));
    secondRun.value.attach('toggle', actor);
    actor.start();
    actor.send({ type: 'FLIP' });
    await secondRun.stop('shutdown');

    // Assert
    expect(second.published.map(({ message }) => message.type)).toContain('transition');
  });

  it('should publish nothing more once stopped, even with a lease left', async () => {
    // Arrange
    const bus = fakeBus();
    const run = await inspectionChild('stopped').start(childContext(bus.nc));
    bus.grantLease();
    const actor = createActor(toggle);
    run.value.attach('toggle', actor);
    actor.start();

    // Act
    await run.stop('shutdown');
    actor.send({ type: 'FLIP' });

    // Assert
    expect(bus.published.map(({ message }) => message.type)).not.toContain('transition');
    expect(run.value.active).toBe(false);
  });
});

describe('detailOf', () => {
  it('should mask keys that look like credentials and leave out the type', () => {
    const { detail } = detailOf({ type: 'CONNECT', password: 'hunter2', token: 't', socket: '/run/docker.sock' });

    expect(JSON.parse(detail!)).toEqual({ password: '***', token: '***', socket: '/run/docker.sock' });
  });

  it('should cut a large payload to the limit', () => {
    const { detail } = detailOf({ type: 'BIG', snapshot: 'x'.repeat(10_000) });

    expect(detail!.length).toBe(inspectionDetailLimit);
    expect(detail!.endsWith('…')).toBe(true);
  });

  it('should have no detail for an event with nothing but its type', () => {
    expect(detailOf({ type: 'PING' })).toEqual({});
  });
});

describe('stateText', () => {
  it.each([
    ['idle', 'idle'],
    [{ connected: 'watching' }, 'connected.watching'],
    [{ a: { b: 'c' } }, 'a.b.c'],
  ])('should write %j as %s', (value, text) => {
    expect(stateText(value)).toBe(text);
  });
});
