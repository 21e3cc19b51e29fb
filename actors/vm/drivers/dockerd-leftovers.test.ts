import { spawnSync } from 'node:child_process';
import { isAlive } from '../../../host/processes.js';
import { mountPoints } from './dockerd-leftovers.js';

describe('mountPoints', () => {
  it('should read the mount point field and unescape spaces when parsing mountinfo', () => {
    // Arrange
    const mountinfo = [
      '36 35 98:0 / /mnt/data rw,noatime master:1 - ext4 /dev/root rw',
      '37 36 0:4 / /run/rdd/my\\040dir/dx/netns/abc rw shared:2 - nsfs nsfs rw',
      '',
    ].join('\n');

    // Act
    const points = mountPoints(mountinfo);

    // Assert
    expect(points).toEqual(['/mnt/data', '/run/rdd/my dir/dx/netns/abc']);
  });
});

describe('isAlive', () => {
  it('should say this process is running when asked about itself', () => {
    expect(isAlive(process.pid)).toBe(true);
  });

  it('should say a process that exited is not running when it has been reaped', () => {
    // Arrange
    const { pid } = spawnSync('true');

    // Act / Assert
    expect(isAlive(pid)).toBe(false);
  });
});
