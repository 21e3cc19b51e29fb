import type { ActualState, DesiredState, EngineAction } from './container-matrix.js';
import { ID, startContainer, stopContainers } from './container.machine.fixtures.js';

afterEach(() => {
  stopContainers();
  jest.useRealTimers();
});

type Outcome = EngineAction | 'Converged' | 'Observing' | 'Waiting';

// Every desired × actual cell, written independently: the engine call asked for, or the reason reported.
const cells: [DesiredState, ActualState, Outcome][] = [
  ['unknown', 'created', 'Observing'],
  ['unknown', 'running', 'Observing'],
  ['unknown', 'paused', 'Observing'],
  ['unknown', 'restarting', 'Observing'],
  ['unknown', 'removing', 'Observing'],
  ['unknown', 'exited', 'Observing'],
  ['unknown', 'dead', 'Observing'],
  ['unknown', 'unknown', 'Observing'],
  ['running', 'created', 'start'],
  ['running', 'running', 'Converged'],
  ['running', 'paused', 'unpause'],
  ['running', 'restarting', 'Waiting'],
  ['running', 'removing', 'Waiting'],
  ['running', 'exited', 'start'],
  ['running', 'dead', 'start'],
  ['running', 'unknown', 'Waiting'],
  ['created', 'created', 'Converged'],
  ['created', 'running', 'stop'],
  ['created', 'paused', 'stop'],
  ['created', 'restarting', 'stop'],
  ['created', 'removing', 'Waiting'],
  ['created', 'exited', 'Converged'],
  ['created', 'dead', 'Converged'],
  ['created', 'unknown', 'Waiting'],
  ['paused', 'created', 'start'],
  ['paused', 'running', 'pause'],
  ['paused', 'paused', 'Converged'],
  ['paused', 'restarting', 'Waiting'],
  ['paused', 'removing', 'Waiting'],
  ['paused', 'exited', 'start'],
  ['paused', 'dead', 'start'],
  ['paused', 'unknown', 'Waiting'],
];

const isCall = (outcome: Outcome): outcome is EngineAction => ['start', 'stop', 'pause', 'unpause'].includes(outcome);

describe('containerMachine convergence', () => {
  it.each(cells)('should converge desired %s when it observes %s with %s', (desired, actual, outcome) => {
    // Arrange
    const container = startContainer(desired, 'unknown');
    const before = container.reports.length;

    // Act
    container.observe(actual);

    // Assert
    const report = container.reports.slice(before);
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({ desired, actual, condition: { type: 'Converged' } });
    if (isCall(outcome)) {
      expect(container.calls.map((call) => call.input)).toEqual([{ id: ID, action: outcome }]);
      expect(report[0]!.condition).toMatchObject({ status: 'False', reason: 'ActionInFlight' });
    } else {
      expect(container.calls).toHaveLength(0);
      const status = outcome === 'Waiting' ? 'False' : 'True';
      expect(report[0]!.condition).toMatchObject({ status, reason: outcome });
    }
  });

  it('should evaluate its input at once when it starts', () => {
    // Act
    const container = startContainer('running', 'exited');

    // Assert
    expect(container.calls.map((call) => call.input)).toEqual([{ id: ID, action: 'start' }]);
  });

  it('should report Converged once the action succeeds when its event has not arrived yet', async () => {
    // Arrange
    const container = startContainer('running', 'exited');

    // Act
    container.calls[0]!.resolve();
    await container.callsHandled();

    // Assert
    expect(container.last()).toEqual({
      desired: 'running',
      actual: 'running',
      condition: {
        type: 'Converged',
        status: 'True',
        reason: 'Converged',
        message: 'desired running, actual running: running as desired',
      },
    });
    expect(container.calls).toHaveLength(1);
  });

  it('should never send a second action when events arrive while one is in flight', async () => {
    // Arrange
    const container = startContainer('running', 'exited');

    // Act
    container.observe('exited');
    container.observe('dead');
    container.desire('running');
    container.observe('exited');
    await container.callsHandled();

    // Assert
    expect(container.calls).toHaveLength(1);
    expect(container.last()?.condition.reason).toBe('ActionInFlight');
  });

  it('should re-evaluate when the call in flight ends when the desired state changed meanwhile', async () => {
    // Arrange
    const container = startContainer('running', 'exited');
    container.desire('paused');
    expect(container.calls).toHaveLength(1);

    // Act
    container.calls[0]!.resolve();
    await container.callsReach(2);

    // Assert
    expect(container.calls.map((call) => call.input.action)).toEqual(['start', 'pause']);
  });

  it('should keep the observed state when the last event of its own action arrived before the call returned', async () => {
    // Arrange: the stop's own event says dead, not the exited a stop usually leaves.
    const container = startContainer('created', 'running');
    container.observe('dead', { action: 'stop', byRdd: true });

    // Act
    container.calls[0]!.resolve();
    await container.callsHandled();

    // Assert
    expect(container.context().actual).toBe('dead');
    expect(container.last()?.condition.reason).toBe('Converged');
    expect(container.calls).toHaveLength(1);
  });

  it('should report ActionFailed and retry after retryDelay when the engine action fails', async () => {
    // Arrange
    const container = startContainer('running', 'exited', { retryDelay: 1 });

    // Act
    container.calls[0]!.reject(new Error('port is already allocated'));
    await container.callsReach(2);
    container.calls[1]!.resolve();
    await container.callsHandled();

    // Assert
    const reasons = container.reports.map((report) => report.condition.reason);
    expect(reasons).toEqual(['ActionInFlight', 'ActionFailed', 'ActionInFlight', 'Converged']);
    expect(container.reports[1]!.condition).toEqual({
      type: 'Converged',
      status: 'False',
      reason: 'ActionFailed',
      message: `failed to start container ${ID}: port is already allocated; retrying in 1s`,
    });
    expect(container.calls.map((call) => call.input.action)).toEqual(['start', 'start']);
    expect(container.context().failures).toBe(0);
  });

  it('should back off exponentially when the engine action keeps failing', async () => {
    // Arrange
    jest.useFakeTimers();
    const container = startContainer('running', 'exited', 'machine');

    // Act
    container.calls[0]!.reject(new Error('no space left on device'));
    await container.callsHandled();
    await jest.advanceTimersByTimeAsync(1000);
    container.calls[1]!.reject(new Error('no space left on device'));
    await container.callsHandled();
    await jest.advanceTimersByTimeAsync(1999);
    const beforeSecondDelay = container.calls.length;
    await jest.advanceTimersByTimeAsync(1);

    // Assert
    expect(beforeSecondDelay).toBe(2);
    expect(container.calls).toHaveLength(3);
    expect(
      container.reports.filter((report) => report.condition.reason === 'ActionFailed').at(-1)?.condition.message,
    ).toMatch(/retrying in 2s$/);
  });

  it('should re-evaluate before retrying when the world changed after a failure', async () => {
    // Arrange
    const container = startContainer('running', 'exited');
    container.calls[0]!.reject(new Error('boom'));
    await container.callsHandled();
    container.observe('exited');
    expect(container.last()?.condition.reason).toBe('ActionFailed');

    // Act
    container.observe('running');

    // Assert
    expect(container.last()?.condition.reason).toBe('Converged');
    expect(container.calls).toHaveLength(1);
  });
});
