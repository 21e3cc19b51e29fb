import type { ActualState, OneShotAction } from './container-matrix.js';
import { byUser, ID, REQUESTED_AT, startContainer, stopContainers } from './container.machine.fixtures.js';

afterEach(() => {
  stopContainers();
  jest.useRealTimers();
});

describe('containerMachine one-shot actions', () => {
  it.each<[OneShotAction, ActualState]>([
    ['start', 'exited'],
    ['stop', 'running'],
    ['pause', 'running'],
    ['unpause', 'paused'],
    ['restart', 'running'],
    ['kill', 'running'],
  ])('should report Succeeded when a one-shot %s on a %s container succeeds', async (action, actual) => {
    // Arrange
    const container = startContainer('unknown', actual);

    // Act
    container.request(action);
    container.calls[0]!.resolve();
    await container.callsHandled();

    // Assert
    expect(container.calls.map((call) => call.input)).toEqual([{ id: ID, action }]);
    expect(container.lastActions).toEqual([
      { action, state: 'Succeeded', observedAt: REQUESTED_AT, completedAt: expect.any(String) },
    ]);
    expect(new Date(container.lastActions[0]!.completedAt).toISOString()).toBe(container.lastActions[0]!.completedAt);
    expect(container.context().desired).toBe('unknown');
  });

  it.each<[OneShotAction, ActualState]>([
    ['start', 'exited'],
    ['stop', 'running'],
    ['pause', 'exited'],
    ['unpause', 'paused'],
    ['restart', 'running'],
    ['kill', 'running'],
  ])(
    'should report Failed with the engine error when a one-shot %s on a %s container fails',
    async (action, actual) => {
      // Arrange
      const container = startContainer('unknown', actual);

      // Act
      container.request(action);
      container.calls[0]!.reject(new Error(`Container ${ID} is not running`));
      await container.callsHandled();

      // Assert
      expect(container.lastActions).toEqual([
        {
          action,
          state: 'Failed',
          error: `Container ${ID} is not running`,
          observedAt: REQUESTED_AT,
          completedAt: expect.any(String),
        },
      ]);
      expect(container.context().inFlight).toBeNull();
    },
  );

  it('should succeed without calling the engine when pausing a paused container', () => {
    // Arrange
    const container = startContainer('unknown', 'paused');

    // Act
    container.request('pause');

    // Assert
    expect(container.calls).toHaveLength(0);
    expect(container.lastActions).toEqual([expect.objectContaining({ action: 'pause', state: 'Succeeded' })]);
  });

  it.each<ActualState>(['exited', 'created', 'dead'])(
    'should fail without calling the engine when unpausing a %s container',
    (actual) => {
      // Arrange
      const container = startContainer('unknown', actual);

      // Act
      container.request('unpause');

      // Assert
      expect(container.calls).toHaveLength(0);
      expect(container.lastActions).toEqual([
        expect.objectContaining({
          action: 'unpause',
          state: 'Failed',
          error: `cannot unpause container ${ID}: not running`,
        }),
      ]);
    },
  );

  it('should release the desired state with ReleasedByAction when a one-shot stop succeeds against desired running', async () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.request('stop');
    container.calls[0]!.resolve();
    await container.callsHandled();
    container.observe('exited', byUser('stop'));

    // Assert
    expect(container.releases).toEqual([
      {
        reason: 'ReleasedByAction',
        message: 'stop action requested while desired running; desired state released to unknown',
      },
    ]);
    expect(container.context().desired).toBe('unknown');
    expect(container.calls.map((call) => call.input.action)).toEqual(['stop']);
    expect(container.last()?.condition.reason).toBe('Observing');
  });

  it('should keep the desired state when a one-shot action that fights it fails', async () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.request('pause');
    container.calls[0]!.reject(new Error('boom'));
    await container.callsHandled();

    // Assert
    expect(container.releases).toEqual([]);
    expect(container.context().desired).toBe('running');
  });

  it('should keep the desired state when a one-shot action agrees with it', async () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.request('restart');
    container.calls[0]!.resolve();
    await container.callsHandled();

    // Assert
    expect(container.releases).toEqual([]);
    expect(container.context().desired).toBe('running');
    expect(container.last()?.condition.reason).toBe('Converged');
  });

  it('should queue a one-shot action when a call is in flight', async () => {
    // Arrange
    const container = startContainer('running', 'exited');

    // Act
    container.request('pause');
    const callsWhileBusy = container.calls.length;
    container.calls[0]!.resolve();
    await container.callsReach(2);
    container.calls[1]!.resolve();
    await container.callsHandled();

    // Assert
    expect(callsWhileBusy).toBe(1);
    expect(container.calls.map((call) => call.input.action)).toEqual(['start', 'pause']);
    expect(container.lastActions).toEqual([expect.objectContaining({ action: 'pause', state: 'Succeeded' })]);
    expect(container.releases.map((release) => release.reason)).toEqual(['ReleasedByAction']);
  });
});
