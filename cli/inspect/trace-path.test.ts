import type { InspectionEvent } from '../../protocol/inspection.schema.js';
import { formatTrace, tracePath } from './trace-path.js';

const traced = (actor: string, type: InspectionEvent['type'] = 'event'): InspectionEvent => ({
  at: '2026-01-02T12:01:02.345Z',
  actor,
  type,
  trace: 'a1b2c3d4e5f6',
  ...(type === 'event' ? { event: 'DESIRED' } : {}),
});

describe('tracePath', () => {
  it.each([
    [
      'the request went out and came back',
      ['app', 'app', 'vm', 'vm', 'app', 'engine', 'app'],
      ['api', 'app', 'vm', 'engine', 'app'],
    ],
    ['it ended where it went last', ['app', 'vm', 'engine'], ['api', 'app', 'vm', 'engine']],
    [
      'invoked children belong to their actor',
      ['app', 'engine/connect', 'engine', 'app'],
      ['api', 'app', 'engine', 'app'],
    ],
    ['a mirror took part', ['app', 'container:0123456789ab', 'app'], ['api', 'app', 'container:0123456789ab', 'app']],
    ['nothing arrived', [], ['api']],
  ])('should list the actors in order of first appearance when %s', (_case, actors, path) => {
    expect(tracePath(actors.map((actor) => traced(actor)))).toEqual(path);
  });
});

describe('formatTrace', () => {
  it('should print the path, then one line per message', () => {
    const lines = formatTrace('a1b2c3d4e5f6', [traced('app'), traced('vm', 'action'), traced('app')]);

    expect(lines).toEqual([
      'trace a1b2c3d4e5f6: api → app → vm → app',
      '  12:01:02.345  app     ← DESIRED',
      '  12:01:02.345  vm      ▸ ?',
      '  12:01:02.345  app     ← DESIRED',
    ]);
  });

  it('should say so when no message carried the trace', () => {
    expect(formatTrace('a1b2c3d4e5f6', [])).toEqual([
      'trace a1b2c3d4e5f6: api (no actor reported a message carrying it)',
    ]);
  });
});
