import { preferredDriver } from './auto-driver.js';

const missingTun = [{ what: '/dev/net/tun is not readable and writable by ann', fix: 'sudo chmod 0666 /dev/net/tun' }];

describe('preferredDriver', () => {
  it.each([
    ['linux', [], true, 'dockerd'],
    ['linux', [], false, 'dockerd'],
    ['linux', missingTun, true, 'lima'],
    ['linux', missingTun, false, null],
    ['darwin', [], true, 'lima'],
    ['darwin', [], false, null],
  ] as const)(
    'should pick on %s (dockerd lacking %j, limactl %s) %s',
    (platform, dockerdMissing, hasLimactl, driver) => {
      expect(preferredDriver({ platform, dockerdMissing, hasLimactl })).toBe(driver);
    },
  );
});
