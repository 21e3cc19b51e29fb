/** A failed start that cannot succeed by itself: the VM machine reports it and waits for the user. */
import { desired, output, startVm, stopVms } from './vm.machine.fixtures.js';
import { startNeedsUser } from './vm-start-failure.js';

afterEach(stopVms);

function driverUnavailable(message: string): Error {
  const error = new Error(message);
  error.name = 'DriverUnavailableError';
  return error;
}

function spawnFailure(code: string): Error {
  return Object.assign(new Error(`spawn rootlesskit ${code}`), { code, syscall: 'spawn rootlesskit' });
}

describe('startNeedsUser', () => {
  it.each([
    ['an unavailable driver', driverUnavailable('/dev/net/tun is not readable and writable by ann')],
    ['a missing program', spawnFailure('ENOENT')],
    ['a program the user may not run', spawnFailure('EACCES')],
    ['a spawn failure as the cause', new Error('failed to start dockerd', { cause: spawnFailure('EPERM') })],
  ])('should wait for the user after %s', (_what, error) => {
    expect(startNeedsUser(error)).toBe(true);
  });

  it.each([
    ['a timeout', new Error('dockerd did not answer within 60s')],
    ['a socket not there yet', Object.assign(new Error('connect ENOENT'), { code: 'ENOENT', syscall: 'connect' })],
    ['something not an Error', 'boom'],
  ])('should retry by itself after %s', (_what, error) => {
    expect(startNeedsUser(error)).toBe(false);
  });
});

describe('vmMachine after a start that waits for the user', () => {
  it('should report StartFailed with the reason and not retry when the retry delay passes', async () => {
    // Arrange
    const vm = startVm(5);
    vm.send(desired(1, true));
    await vm.reach('starting');

    // Act
    vm.starts[0]!.reject(driverUnavailable('/dev/net/tun is not readable and writable by ann'));
    await vm.reach('startFailed');
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assert
    expect(vm.state()).toBe('startFailed');
    expect(vm.starts).toHaveLength(1);
    expect(vm.last()).toMatchObject({
      status: 'False',
      reason: 'StartFailed',
      message: expect.stringMatching(/^\/dev\/net\/tun is not readable .*not retrying.*rdd start or rdd set\)$/),
      observedGeneration: 1,
    });
  });

  it('should try again when the same generation is desired again (rdd start)', async () => {
    // Arrange
    const vm = startVm();
    vm.send(desired(1, true));
    vm.starts[0]!.reject(spawnFailure('ENOENT'));
    await vm.reach('startFailed');

    // Act
    vm.send(desired(1, true));
    await vm.reach('starting');
    vm.starts[1]!.resolve(output());
    await vm.reach('started');

    // Assert
    expect(vm.starts).toHaveLength(2);
    expect(vm.last()).toMatchObject({ reason: 'Started', observedGeneration: 1 });
  });

  it('should keep retrying by itself after a failure that can go away', async () => {
    // Arrange
    const vm = startVm(5);
    vm.send(desired(1, true));
    await vm.reach('starting');

    // Act
    vm.starts[0]!.reject(new Error('dockerd did not answer within 60s'));
    await vm.reach('startFailed');
    await vm.reach('starting');

    // Assert
    expect(vm.starts).toHaveLength(2);
    expect(vm.reports.map((report) => report.message)).toContain('dockerd did not answer within 60s (retrying in 1s)');
  });
});
