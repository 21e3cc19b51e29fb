import type { ActualState, DesiredState } from './container-matrix.js';
import { byUser, ID, startContainer, stopContainers } from './container.machine.fixtures.js';

afterEach(() => {
  stopContainers();
  jest.useRealTimers();
});

describe('containerMachine conflict policy', () => {
  // The state each desired state settles in, and where a user action leaves the container.
  const settledIn: Record<DesiredState, ActualState> = {
    unknown: 'running',
    running: 'running',
    created: 'exited',
    paused: 'paused',
  };
  const leaves: Record<string, ActualState> = {
    stop: 'exited',
    kill: 'exited',
    pause: 'paused',
    unpause: 'running',
    start: 'running',
  };
  const conflicts: [DesiredState, string, boolean][] = [
    ['running', 'stop', true],
    ['running', 'kill', true],
    ['running', 'pause', true],
    ['running', 'unpause', false],
    ['running', 'start', false],
    ['created', 'stop', false],
    ['created', 'kill', false],
    ['created', 'pause', true],
    ['created', 'unpause', true],
    ['created', 'start', true],
    ['paused', 'stop', true],
    ['paused', 'kill', true],
    ['paused', 'pause', false],
    ['paused', 'unpause', true],
    ['paused', 'start', true],
    ['unknown', 'stop', false],
    ['unknown', 'kill', false],
    ['unknown', 'pause', false],
    ['unknown', 'unpause', false],
    ['unknown', 'start', false],
  ];

  it.each(conflicts)(
    'should handle desired %s and a docker %s outside rdd (conflict: %s)',
    (desired, action, conflict) => {
      // Arrange
      const container = startContainer(desired, settledIn[desired]);

      // Act
      container.observe(leaves[action]!, byUser(action));

      // Assert
      expect(container.calls).toHaveLength(0);
      if (conflict) {
        expect(container.releases).toEqual([
          {
            reason: 'ReleasedByUser',
            message: `docker ${action === 'kill' ? 'stop or kill' : action} outside rdd; desired state released to unknown`,
          },
        ]);
        expect(container.context().desired).toBe('unknown');
        expect(container.last()?.condition).toEqual({
          type: 'Converged',
          status: 'True',
          reason: 'Observing',
          message: `docker ${action === 'kill' ? 'stop or kill' : action} outside rdd; desired state released to unknown`,
        });
      } else {
        expect(container.releases).toEqual([]);
        expect(container.context().desired).toBe(desired);
      }
    },
  );

  it('should release on the kill event when the container has not gone down yet', () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.observe('running', byUser('kill'));
    container.observe('exited', byUser('die'));
    container.observe('exited', byUser('stop'));

    // Assert
    expect(container.releases.map((release) => release.reason)).toEqual(['ReleasedByUser']);
    expect(container.calls).toHaveLength(0);
    expect(container.context().crashes).toBe(0);
    expect(container.last()?.condition.reason).toBe('Observing');
  });

  it('should keep the desired state released when the owner echoes unknown back', () => {
    // Arrange
    const container = startContainer('running', 'running');
    container.observe('exited', byUser('stop'));

    // Act
    container.desire('unknown');
    container.observe('exited');

    // Assert
    expect(container.last()?.condition.message).toBe('docker stop outside rdd; desired state released to unknown');
    expect(container.calls).toHaveLength(0);
  });

  it('should release even while its own call is in flight when the user acts against it', async () => {
    // Arrange
    const container = startContainer('running', 'exited');

    // Act: the engine's event stream is ordered, so the start's own event comes before the user's pause.
    container.observe('running', { action: 'start', byRdd: true });
    container.observe('paused', byUser('pause'));
    container.calls[0]!.resolve();
    await container.callsHandled();

    // Assert
    expect(container.releases.map((release) => release.reason)).toEqual(['ReleasedByUser']);
    expect(container.calls).toHaveLength(1);
    expect(container.last()?.condition.reason).toBe('Observing');
    expect(container.context().actual).toBe('paused');
  });

  it.each<[DesiredState, ActualState]>([
    ['paused', 'created'],
    ['paused', 'exited'],
  ])(
    'should not take its own start for a user start when desired %s, actual %s and the start event comes after the pause is issued',
    async (desired, actual) => {
      // Arrange: rdd starts the container, then pauses it as soon as the start call returns.
      const container = startContainer(desired, actual);
      container.calls[0]!.resolve();
      await container.callsHandled();

      // Act: the start's own event arrives only now, while the pause is in flight.
      container.observe('running', byUser('start'));
      container.observe('paused', byUser('pause'));
      container.calls[1]!.resolve();
      await container.callsHandled();

      // Assert
      expect(container.calls.map((call) => call.input.action)).toEqual(['start', 'pause']);
      expect(container.releases).toEqual([]);
      expect(container.context().desired).toBe('paused');
      expect(container.last()?.condition.reason).toBe('Converged');
    },
  );

  it('should not count the events of its own action as conflicts when byRdd is set', () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.observe('exited', { action: 'stop', byRdd: true });

    // Assert
    expect(container.releases).toEqual([]);
    expect(container.calls.map((call) => call.input.action)).toEqual(['start']);
  });

  it('should recognise the events its own call causes when the actors layer did not flag them', async () => {
    // Arrange: a start in flight when the user changes the desired state to created.
    const container = startContainer('running', 'exited');
    container.desire('created');

    // Act
    container.observe('running', byUser('start'));
    container.calls[0]!.resolve();
    await container.callsReach(2);

    // Assert
    expect(container.releases).toEqual([]);
    expect(container.calls.map((call) => call.input.action)).toEqual(['start', 'stop']);
  });

  it('should see a later user action when its own restart skipped some of the events it expected', async () => {
    // Arrange: a restart of a stopped container sends start and restart, but no kill, die or stop.
    const container = startContainer('running', 'running');
    container.request('restart');
    container.observe('running', byUser('start'));
    container.observe('running', byUser('restart'));
    container.calls[0]!.resolve();
    await container.callsHandled();

    // Act
    container.observe('running', byUser('kill'));

    // Assert
    expect(container.releases).toEqual([
      { reason: 'ReleasedByUser', message: 'docker stop or kill outside rdd; desired state released to unknown' },
    ]);
  });

  it('should see a later user action when its own call failed', async () => {
    // Arrange
    const container = startContainer('running', 'exited');
    container.calls[0]!.reject(new Error('boom'));
    await container.callsHandled();
    container.desire('created');

    // Act
    container.observe('running', byUser('start'));

    // Assert
    expect(container.releases.map((release) => release.reason)).toEqual(['ReleasedByUser']);
    expect(container.calls).toHaveLength(1);
  });

  it('should not treat a restart by the engine as a conflict when desired is running', () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.observe('restarting', byUser('die'));
    container.observe('running', byUser('start'));
    container.observe('running', byUser('restart'));

    // Assert
    expect(container.releases).toEqual([]);
    expect(container.calls).toHaveLength(0);
    expect(container.context().crashes).toBe(0);
    expect(container.reports.map((report) => report.condition.reason)).toEqual([
      'Converged',
      'Waiting',
      'Converged',
      'Converged',
    ]);
  });
});

describe('containerMachine crashes', () => {
  it('should restart after the crash-loop backoff and count crashes when a container that should run dies', async () => {
    // Arrange
    jest.useFakeTimers();
    const container = startContainer('running', 'running', 'machine');

    // Act
    container.observe('exited', byUser('die'));
    const first = container.last()?.condition;
    await jest.advanceTimersByTimeAsync(999);
    const callsBeforeDelay = container.calls.length;
    await jest.advanceTimersByTimeAsync(1);
    container.calls[0]!.resolve();
    await container.callsHandled();
    container.observe('exited', byUser('die'));
    const second = container.last()?.condition;
    await jest.advanceTimersByTimeAsync(2000);

    // Assert
    expect(first).toEqual({
      type: 'Converged',
      status: 'False',
      reason: 'CrashLoopBackOff',
      message: `container ${ID} crashed (exited) 1 time; restarting in 1s`,
    });
    expect(callsBeforeDelay).toBe(0);
    expect(second?.message).toBe(`container ${ID} crashed (exited) 2 times; restarting in 2s`);
    expect(container.calls.map((call) => call.input.action)).toEqual(['start', 'start']);
    expect(container.releases).toEqual([]);
  });

  it('should forgive crashes when the container has run for the reset delay', async () => {
    // Arrange
    jest.useFakeTimers();
    const container = startContainer('running', 'running', 'machine');
    container.observe('exited', byUser('die'));
    await jest.advanceTimersByTimeAsync(1000);
    container.calls[0]!.resolve();
    await container.callsHandled();
    container.observe('running', { action: 'start', byRdd: true });

    // Act
    await jest.advanceTimersByTimeAsync(59_999);
    const justBefore = container.context().crashes;
    await jest.advanceTimersByTimeAsync(1);

    // Assert
    expect(justBefore).toBe(1);
    expect(container.context().crashes).toBe(0);
  });

  it('should count an oom followed by its die as one crash', () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.observe('exited', byUser('oom'));
    container.observe('exited', byUser('die'));

    // Assert
    expect(container.context().crashes).toBe(1);
    expect(container.last()?.condition.reason).toBe('CrashLoopBackOff');
    expect(container.calls).toHaveLength(0);
  });

  it('should not count an oom as a crash when the container keeps running', () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.observe('running', byUser('oom'));

    // Assert
    expect(container.context().crashes).toBe(0);
    expect(container.last()?.condition.reason).toBe('Converged');
  });

  it.each<[DesiredState, ActualState]>([
    ['created', 'exited'],
    ['unknown', 'running'],
  ])('should not restart a container that dies when desired is %s', (desired, actual) => {
    // Arrange
    const container = startContainer(desired, actual);

    // Act
    container.observe('exited', byUser('die'));

    // Assert
    expect(container.context().crashes).toBe(0);
    expect(container.calls).toHaveLength(0);
  });

  it('should not count the die of its own kill as a crash when the events are not flagged', async () => {
    // Arrange
    const container = startContainer('running', 'running');
    container.request('kill');

    // Act
    container.observe('running', byUser('kill'));
    container.observe('exited', byUser('die'));
    container.calls[0]!.resolve();
    await container.callsHandled();

    // Assert
    expect(container.context().crashes).toBe(0);
    expect(container.releases.map((release) => release.reason)).toEqual(['ReleasedByAction']);
    expect(container.calls).toHaveLength(1);
  });
});
