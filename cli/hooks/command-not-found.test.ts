import { nearestCommand } from './command-not-found.js';

const ids = ['get', 'set', 'start', 'stop', 'svc:status', 'svc:start', 'ctl:get', 'ctl:delete', 'machines:list'];

describe('nearestCommand', () => {
  it.each([
    [['ctl', 'gt', 'containers'], 'ctl get'],
    [['svc', 'staus'], 'svc status'],
    [['stat'], 'start'],
    [['ctl', 'delte', 'container/x'], 'ctl delete'],
    [['machine', 'lst'], 'machines list'],
  ])('should suggest for %j: %s', (typed, expected) => {
    expect(nearestCommand(typed, ids)).toBe(expected);
  });

  it.each([[['frobnicate']], [['ctl', 'explode']], [['zzz', 'get']]])('should suggest nothing for %j', (typed) => {
    expect(nearestCommand(typed, ids)).toBeUndefined();
  });
});
