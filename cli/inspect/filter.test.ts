import type { InspectionEvent } from '../../protocol/inspection.schema.js';
import { globToRegExp, inspectionFilter, matchesGlob, selectedTypes } from './filter.js';

const message = (fields: Partial<InspectionEvent>): InspectionEvent => ({
  at: '2026-01-02T12:01:02.345Z',
  actor: 'engine',
  type: 'transition',
  ...fields,
});

describe('globToRegExp', () => {
  it.each([
    ['engine', 'engine', true],
    ['engine', 'engine/connect', false],
    ['engine*', 'engine/connect', true],
    ['engine*', 'engine', true],
    ['container:*', 'container:0123456789ab', true],
    ['container:*', 'app', false],
    ['app*', 'app', true],
    ['v?', 'vm', true],
    ['v?', 'vmx', false],
    ['*', 'container:0123456789ab/child', true],
    ['a.b', 'axb', false],
    ['a+(b)', 'a+(b)', true],
    ['root/bus', 'root/bus', true],
  ])('should match %s against %s: %s', (glob, text, expected) => {
    expect(globToRegExp(glob).test(text)).toBe(expected);
  });

  it('should match everything when there is no glob', () => {
    expect([matchesGlob(undefined, 'vm'), matchesGlob('', 'vm')]).toEqual([true, true]);
  });
});

describe('selectedTypes', () => {
  it.each([
    [{}, ['created', 'transition', 'stopped']],
    [{ states: true }, ['created', 'transition', 'stopped']],
    [{ events: true }, ['event']],
    [{ actions: true }, ['action']],
    [{ events: true, actions: true }, ['event', 'action']],
    [{ states: true, events: true }, ['created', 'transition', 'stopped', 'event']],
    [{ states: true, events: true, actions: true }, ['created', 'transition', 'stopped', 'event', 'action']],
  ])('should select %j as %j', (flags, types) => {
    expect([...selectedTypes(flags)]).toEqual(types);
  });
});

describe('inspectionFilter', () => {
  it('should keep a message when its actor, type and trace all match', () => {
    const keep = inspectionFilter({ actor: 'engine*', types: new Set(['transition']), trace: 'abc' });

    expect(keep(message({ trace: 'abc' }))).toBe(true);
  });

  it.each([
    ['another actor', message({ actor: 'vm', trace: 'abc' })],
    ['another type', message({ type: 'event', trace: 'abc' })],
    ['another trace', message({ trace: 'def' })],
    ['no trace', message({})],
  ])('should drop a message of %s', (_case, dropped) => {
    const keep = inspectionFilter({ actor: 'engine*', types: new Set(['transition']), trace: 'abc' });

    expect(keep(dropped)).toBe(false);
  });
});

describe('inspectionFilter and XState internals', () => {
  const types = selectedTypes({ events: true, actions: true, states: true });

  it.each([
    ['an xstate.* event', message({ type: 'event', event: 'xstate.done.actor.0.engine.connecting' })],
    ['an xstate.* action', message({ type: 'action', action: 'xstate.assign' })],
  ])('should drop %s by default and keep it with --all', (_what, internal) => {
    expect(inspectionFilter({ types })(internal)).toBe(false);
    expect(inspectionFilter({ types, internal: true })(internal)).toBe(true);
  });

  it('should keep our own events and a transition an internal event caused', () => {
    const keep = inspectionFilter({ types });

    expect(keep(message({ type: 'event', event: 'DESIRED' }))).toBe(true);
    expect(
      keep(message({ type: 'transition', event: 'xstate.done.actor.0', from: 'connecting', to: 'connected' })),
    ).toBe(true);
  });
});
