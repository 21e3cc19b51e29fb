import type { InspectionEvent } from '../../protocol/inspection.schema.js';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import { clockOf, formatInspection, formatSupervision } from './format.js';

const at = '2026-01-02T12:01:02.345Z';

describe('formatInspection', () => {
  it.each<[string, Partial<InspectionEvent>, string]>([
    [
      'a transition',
      {
        actor: 'engine',
        type: 'transition',
        from: 'connecting',
        to: 'connected.syncing',
        event: 'xstate.done.actor.0.engineConnection.connecting',
      },
      '12:01:02.345  engine  connecting → connected.syncing  on xstate.done.actor.0.engineConnection.connecting',
    ],
    [
      'a transition without a known origin',
      { actor: 'app', type: 'transition', to: 'active', event: 'SPEC' },
      '12:01:02.345  app     → active  on SPEC',
    ],
    [
      'an event with its detail',
      { actor: 'engine', type: 'event', event: 'DESIRED', detail: '{"desired":{"wanted":true}}' },
      '12:01:02.345  engine  ← DESIRED {"desired":{"wanted":true}}',
    ],
    [
      'an event with its sender',
      { actor: 'engine', type: 'event', event: 'SYNCED', sender: 'streamEvents' },
      '12:01:02.345  engine  ← SYNCED from streamEvents',
    ],
    ['an action', { actor: 'engine', type: 'action', action: 'report' }, '12:01:02.345  engine  ▸ report'],
    ['a created child', { actor: 'engine/connect', type: 'created' }, '12:01:02.345  engine/connect  created'],
    [
      'a stopped child',
      { actor: 'engine/connect', type: 'stopped', event: 'xstate.stop' },
      '12:01:02.345  engine/connect  stopped  on xstate.stop',
    ],
  ])('should print %s on one line', (_case, fields, line) => {
    expect(formatInspection({ at, actor: 'app', type: 'event', ...fields })).toBe(line);
  });
});

describe('formatSupervision', () => {
  const base = { supervisor: 'root', child: 'bus', at };

  it.each<[SupervisionEvent, string]>([
    [
      { ...base, type: 'crashed', error: { name: 'Error', message: 'nats-server exited with signal SIGKILL' } },
      '12:01:02.345  root/bus    crashed: nats-server exited with signal SIGKILL',
    ],
    [
      { ...base, type: 'restarting', delayMs: 103.4, restarts: 1 },
      '12:01:02.345  root/bus    restarting in 103 ms (restart 1)',
    ],
    [{ ...base, type: 'started', restarts: 0 }, '12:01:02.345  root/bus    started'],
    [{ ...base, type: 'started', restarts: 2 }, '12:01:02.345  root/bus    started (restarts: 2)'],
    [{ ...base, type: 'stopped', reason: 'shutdown' }, '12:01:02.345  root/bus    stopped (shutdown)'],
    [
      { ...base, type: 'escalated', restarts: 6, periodMs: 60_000, error: { name: 'Error', message: 'boom' } },
      '12:01:02.345  root/bus    escalated after 6 restarts within 60000 ms: boom',
    ],
  ])('should print %j as %s', (event, line) => {
    expect(formatSupervision(event)).toBe(line);
  });
});

describe('clockOf', () => {
  it('should keep text that is not a time as it is', () => {
    expect(clockOf('soon')).toBe('soon');
  });
});
