import { parseAssignments } from './app-commands.js';

describe('parseAssignments', () => {
  it.each(['__proto__', 'constructor', 'toString'])(
    'should keep %s as a key of its own, for the daemon to refuse, when given',
    (key) => {
      const changes = parseAssignments([`${key}=1`]);

      expect(Object.hasOwn(changes, key)).toBe(true);
      expect(JSON.parse(JSON.stringify(changes))).toEqual(JSON.parse(`{"${key}":"1"}`));
    },
  );

  it('should refuse a property given twice', () => {
    expect(() => parseAssignments(['running=true', 'running=false'])).toThrow(/"running" is given more than once/);
  });
});
