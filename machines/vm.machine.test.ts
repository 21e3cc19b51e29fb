import { arrive, desired, SOCKET, startVm, stopVms, type VmState } from './vm.machine.fixtures.js';

afterEach(stopVms);

describe('vmMachine desired × state', () => {
  it.each<[VmState, boolean, VmState, string]>([
    ['waitingForDesired', true, 'starting', 'Starting'],
    ['waitingForDesired', false, 'stopping', 'Stopping'],
    ['stopped', true, 'starting', 'Starting'],
    ['stopped', false, 'stopped', 'Stopped'],
    ['starting', true, 'starting', 'Starting'],
    ['starting', false, 'stopping', 'Stopping'],
    ['started', true, 'started', 'Started'],
    ['started', false, 'stopping', 'Stopping'],
    ['stopping', true, 'stopping', 'Stopping'],
    ['stopping', false, 'stopping', 'Stopping'],
    ['startFailed', true, 'starting', 'Starting'],
    ['startFailed', false, 'stopping', 'Stopping'],
    ['stopFailed', true, 'starting', 'Starting'],
    ['stopFailed', false, 'stopping', 'Stopping'],
    ['restarting', true, 'restarting', 'Starting'],
    ['restarting', false, 'stopping', 'Stopping'],
  ])(
    'should go from %s to the right state and answer when DESIRED running=%s arrives',
    async (from, running, to, reason) => {
      // Arrange
      const vm = startVm();
      await arrive[from](vm);
      expect(vm.state()).toBe(from);
      const before = vm.reports.length;

      // Act
      vm.send(desired(10, running));

      // Assert
      expect(vm.state()).toBe(to);
      const answers = vm.reports.slice(before);
      expect(answers).toHaveLength(1);
      expect(answers[0]).toMatchObject({ reason, observedGeneration: 10, applyingTemplate: false });
    },
  );

  it('should keep waiting for the retry when DESIRED running=true repeats the generation in startFailed', async () => {
    // Arrange
    const vm = startVm();
    await arrive.startFailed(vm);

    // Act
    vm.send(desired(1, true));

    // Assert
    expect(vm.state()).toBe('startFailed');
    expect(vm.starts).toHaveLength(1);
    expect(vm.last()).toMatchObject({ reason: 'StartFailed', message: 'boom (retrying in 1s)', observedGeneration: 1 });
  });

  it('should abort the start and stop it when DESIRED running=false arrives while starting', async () => {
    // Arrange
    const vm = startVm();
    await arrive.starting(vm);
    const { signal } = vm.starts[0]!;

    // Act
    vm.send(desired(2, false));
    vm.stops[0]!.resolve();
    await vm.reach('stopped');

    // Assert
    expect(signal.aborted).toBe(true);
    expect(vm.stops[0]!.input.desired).toEqual(desired(1, true));
    expect(vm.reports.map((report) => [report.reason, report.observedGeneration])).toEqual([
      ['Starting', 1],
      ['Stopping', 2],
      ['Stopped', 2],
    ]);
  });

  it('should start after the stop completes when DESIRED running=true arrives while stopping', async () => {
    // Arrange
    const vm = startVm();
    await arrive.stopping(vm);

    // Act
    vm.send(desired(3, true));
    vm.stops[0]!.resolve();
    await vm.reach('starting');

    // Assert
    expect(vm.starts[1]!.input.desired).toEqual(desired(3, true));
    expect(vm.last()).toMatchObject({ reason: 'Starting', observedGeneration: 3 });
  });

  it('should answer every DESIRED at its generation when nothing changes (C1)', async () => {
    // Arrange
    const vm = startVm();
    await arrive.started(vm);
    const before = vm.reports.length;

    // Act
    [2, 3, 3, 4].forEach((generation) => vm.send(desired(generation, true)));

    // Assert
    expect(vm.reports.slice(before)).toEqual(
      [2, 3, 3, 4].map((generation) => ({
        observedGeneration: generation,
        status: 'True',
        reason: 'Started',
        message: `the dockerd engine is running at ${SOCKET}`,
        applyingTemplate: false,
        restarts: 0,
        socket: SOCKET,
        enginePid: 42,
      })),
    );
    expect(vm.starts).toHaveLength(1);
    expect(vm.stops).toHaveLength(0);
  });
});
