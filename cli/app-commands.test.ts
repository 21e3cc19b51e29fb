import { appCommandBooleans, parseAssignments } from './app-commands.js';

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

describe('appCommandBooleans', () => {
  it('should read --wait=false as --no-wait and --wait=true as --wait, leaving PROPERTY=VALUE alone', () => {
    expect(appCommandBooleans(['--wait=false', 'running=true'])).toEqual(['--no-wait', 'running=true']);
    expect(appCommandBooleans(['--wait=TRUE', '--dry-run=true'])).toEqual(['--wait', '--dry-run']);
  });

  it('should drop --dry-run=false, the default', () => {
    expect(appCommandBooleans(['--dry-run=false', 'running=false'])).toEqual(['running=false']);
  });
});
