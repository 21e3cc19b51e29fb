import { createActor, waitFor } from 'xstate';
import type { VmReport } from '../protocol/vm-engine.schema.js';
import { vmMachine } from './vm.machine.js';
import { arrive, desired, LONG, output, SOCKET, startVm, stopVms } from './vm.machine.fixtures.js';

afterEach(stopVms);

describe('vmMachine lifecycle', () => {
  it('should report StartFailed with the cause and retry by itself when a start fails', async () => {
    // Arrange
    const vm = startVm(0);
    vm.send(desired(1, true));

    // Act
    vm.starts[0]!.reject(new Error('failed to start dockerd: no bridge'));
    await waitFor(vm.actor, () => vm.starts.length === 2);
    vm.starts[1]!.resolve(output());
    await vm.reach('started');

    // Assert
    expect(vm.reports.map((report) => [report.reason, report.message])).toEqual([
      ['Starting', 'starting the dockerd engine'],
      ['StartFailed', 'failed to start dockerd: no bridge (retrying in 1s)'],
      ['Starting', 'starting the dockerd engine'],
      ['Started', `the dockerd engine is running at ${SOCKET}`],
    ]);
    expect(vm.actor.getSnapshot().context.attempts).toBe(0);
  });

  it('should quote the configured backoff when the machine gets one as input', async () => {
    // Arrange
    const vm = startVm(LONG, { backoff: { initialMs: 2500, maxMs: 10_000 } });
    vm.send(desired(1, true));

    // Act
    vm.starts[0]!.reject(new Error('boom'));
    await vm.reach('startFailed');

    // Assert
    expect(vm.last()?.message).toBe('boom (retrying in 2.5s)');
  });

  it('should count restarts and start again when the engine dies while running', async () => {
    // Arrange
    const vm = startVm(0);
    await arrive.started(vm);

    // Act
    vm.watches[0]!.die('dockerd exited with code 1');
    await waitFor(vm.actor, () => vm.starts.length === 2);
    vm.starts[1]!.resolve(output());
    await vm.reach('started');
    vm.watches[1]!.die('dockerd exited with code 2');
    await waitFor(vm.actor, () => vm.starts.length === 3);

    // Assert
    expect(vm.watches[0]!.cleanedUp).toBe(true);
    const restarting = vm.reports.filter((report) => report.message.startsWith('the engine died'));
    expect(restarting).toEqual([
      expect.objectContaining({
        status: 'False',
        reason: 'Starting',
        message: 'the engine died (dockerd exited with code 1); restarting in 1s (restart 1)',
        restarts: 1,
      }),
      expect.objectContaining({
        message: 'the engine died (dockerd exited with code 2); restarting in 2s (restart 2)',
        restarts: 2,
      }),
    ]);
    expect(vm.reports.filter((report) => report.reason === 'Started').map((report) => report.restarts)).toEqual([0, 1]);
  });

  it('should restart to apply a changed template when a running VM gets a new fingerprint', async () => {
    // Arrange
    const vm = startVm();
    await arrive.started(vm);
    const before = vm.reports.length;

    // Act
    vm.send(desired(2, true, { cpus: 4 }), 'fp-2');
    vm.stops[0]!.resolve();
    await vm.reach('starting');
    vm.starts[1]!.resolve(output('fp-2'));
    await vm.reach('started');

    // Assert
    expect(vm.stops[0]!.input.desired).toEqual(desired(1, true));
    expect(vm.starts[1]!.input.desired).toEqual(desired(2, true, { cpus: 4 }));
    expect(
      vm.reports.slice(before).map((report) => [report.reason, report.applyingTemplate, report.observedGeneration]),
    ).toEqual([
      ['Stopping', true, 2],
      ['Starting', true, 2],
      ['Started', false, 2],
    ]);
  });

  it('should restart when the driver changes while running', async () => {
    // Arrange
    const vm = startVm();
    await arrive.started(vm);

    // Act
    vm.send(desired(2, true, { driver: 'external', socket: '/var/run/docker.sock' }), null);

    // Assert
    expect(vm.state()).toBe('stopping');
    expect(vm.last()).toMatchObject({ reason: 'Stopping', applyingTemplate: true });
  });

  it('should apply the template when an adopted engine runs an outdated one', async () => {
    // Arrange
    const vm = startVm();
    vm.send(desired(1, true), 'fp-new');

    // Act
    vm.starts[0]!.resolve({ ...output('fp-old'), adopted: true });
    await vm.reach('stopping');

    // Assert
    expect(vm.last()).toMatchObject({ reason: 'Stopping', applyingTemplate: true, socket: SOCKET });
  });

  it('should drop applyingTemplate when DESIRED running=false arrives during the restart', async () => {
    // Arrange
    const vm = startVm();
    await arrive.started(vm);
    vm.send(desired(2, true), 'fp-2');

    // Act
    vm.send(desired(3, false), 'fp-2');
    vm.stops[0]!.resolve();
    await vm.reach('stopped');

    // Assert
    expect(vm.reports.slice(-2).map((report) => [report.reason, report.applyingTemplate])).toEqual([
      ['Stopping', false],
      ['Stopped', false],
    ]);
  });

  it('should report StopFailed with the cause when a stop fails', async () => {
    // Arrange
    const vm = startVm();
    await arrive.stopping(vm);

    // Act
    vm.stops[0]!.reject(new Error('failed to stop dockerd: still alive'));
    await vm.reach('stopFailed');

    // Assert
    expect(vm.last()).toMatchObject({
      status: 'False',
      reason: 'StopFailed',
      message: 'failed to stop dockerd: still alive',
    });
  });

  it('should watch the started engine and stop watching when the VM stops', async () => {
    // Arrange
    const vm = startVm();
    await arrive.started(vm);

    // Act
    vm.send(desired(2, false));

    // Assert
    expect(vm.watches.map((watch) => [watch.input, watch.cleanedUp])).toEqual([[{ socket: SOCKET, pid: 42 }, true]]);
  });

  it('should report StartFailed when startEngine was not provided', async () => {
    // Arrange
    const actor = createActor(vmMachine.provide({ actions: { report: (_, report) => void reports.push(report) } }));
    const reports: VmReport[] = [];
    actor.start();

    // Act
    actor.send({ type: 'DESIRED', desired: desired(1, true), fingerprint: null });
    await waitFor(actor, (snapshot) => snapshot.matches('startFailed'));
    actor.stop();

    // Assert
    expect(reports.at(-1)).toMatchObject({
      reason: 'StartFailed',
      message: 'startEngine not provided (retrying in 1s)',
    });
  });
});
