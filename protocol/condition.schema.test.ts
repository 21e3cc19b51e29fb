import { setCondition, type Condition } from './condition.schema.js';

const running: Condition = {
  type: 'Running',
  status: 'False',
  reason: 'Starting',
  message: 'starting',
  observedGeneration: 1,
  lastTransitionTime: 't0',
};

describe('setCondition', () => {
  it('should return the same array when nothing changed', () => {
    const conditions = [running];

    expect(setCondition(conditions, { ...running }, 't1')).toBe(conditions);
  });

  it('should keep lastTransitionTime when only the reason, message or generation changes', () => {
    const next = setCondition(
      [running],
      { ...running, reason: 'StartFailed', message: 'boom', observedGeneration: 2 },
      't1',
    );

    expect(next).toEqual([
      { ...running, reason: 'StartFailed', message: 'boom', observedGeneration: 2, lastTransitionTime: 't0' },
    ]);
  });

  it('should stamp a new lastTransitionTime when the status changes', () => {
    const next = setCondition([running], { ...running, status: 'True', reason: 'Started' }, 't1');

    expect(next[0]?.lastTransitionTime).toBe('t1');
  });

  it('should add new conditions sorted by type', () => {
    const next = setCondition(
      [running],
      { type: 'Created', status: 'True', reason: 'Created', message: '', observedGeneration: 1 },
      't1',
    );

    expect(next.map((condition) => condition.type)).toEqual(['Created', 'Running']);
  });
});
