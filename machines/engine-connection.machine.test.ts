import { waitFor } from 'xstate';
import type { EngineDesired } from '../protocol/vm-engine.schema.js';
import {
  arrive,
  desired,
  SOCKET,
  startEngine,
  stopEngines,
  type EngineState,
} from './engine-connection.machine.fixtures.js';

afterEach(stopEngines);

describe('engineConnectionMachine', () => {
  it.each<[EngineState, string, EngineDesired, EngineState, string]>([
    ['waitingForDesired', 'not wanted', desired(10, false), 'sweeping', 'Stopping'],
    ['waitingForDesired', 'wanted', desired(10, true), 'connecting', 'Stopped'],
    ['idle', 'not wanted', desired(10, false), 'idle', 'Stopped'],
    ['idle', 'wanted', desired(10, true), 'connecting', 'Stopped'],
    ['idle', 'wanted elsewhere', desired(10, true, { socket: '/other.sock' }), 'connecting', 'Stopped'],
    ['sweeping', 'not wanted', desired(10, false), 'sweeping', 'Stopping'],
    ['sweeping', 'wanted', desired(10, true), 'sweeping', 'Stopping'],
    ['connecting', 'not wanted', desired(10, false), 'sweeping', 'Stopping'],
    ['connecting', 'wanted', desired(10, true), 'connecting', 'Stopped'],
    ['connecting', 'wanted elsewhere', desired(10, true, { socket: '/other.sock' }), 'connecting', 'Stopped'],
    ['connected', 'not wanted', desired(10, false), 'sweeping', 'Stopping'],
    ['connected', 'wanted', desired(10, true), 'connected', 'Connected'],
    ['connected', 'wanted elsewhere', desired(10, true, { socket: '/other.sock' }), 'connecting', 'Disconnected'],
    ['backoff', 'not wanted', desired(10, false), 'sweeping', 'Stopping'],
    ['backoff', 'wanted', desired(10, true), 'backoff', 'ConnectFailed'],
    ['backoff', 'wanted elsewhere', desired(10, true, { socket: '/other.sock' }), 'connecting', 'ConnectFailed'],
  ])(
    'should go from %s to the right state and answer once when DESIRED is %s',
    async (from, _case, next, to, reason) => {
      // Arrange
      const engine = startEngine({}, { holdSweeps: true });
      await arrive[from](engine);
      expect(engine.state()).toBe(from);
      const before = engine.reports.length;

      // Act
      engine.send(next);

      // Assert
      expect(engine.state()).toBe(to);
      expect(engine.reports.slice(before)).toEqual([expect.objectContaining({ reason, observedGeneration: 10 })]);
    },
  );

  it('should report Connected and stream from the engine clock when the connect succeeds', async () => {
    // Arrange
    const engine = startEngine();

    // Act
    await arrive.connected(engine);

    // Assert
    expect(engine.connects.map((connect) => connect.input)).toEqual([{ socket: SOCKET }]);
    expect(engine.streams.map((stream) => stream.input)).toEqual([{ socket: SOCKET, since: 1000 }]);
    expect(engine.reports).toEqual([
      { observedGeneration: 1, status: 'False', reason: 'Stopped', message: 'Container engine stopped' },
      {
        observedGeneration: 1,
        status: 'False',
        reason: 'Syncing',
        message: 'Connected to the container engine; mirroring its objects',
      },
      { observedGeneration: 1, status: 'True', reason: 'Connected', message: 'Container engine connected' },
    ]);
  });

  it('should report ConnectFailed with the cause and retry when the first connect fails', async () => {
    // Arrange
    const engine = startEngine({ reconnectDelay: 0 });
    engine.send(desired(1, true));

    // Act
    engine.connects[0]!.reject(new Error('failed to connect to the engine: ENOENT'));
    await waitFor(engine.actor, () => engine.connects.length === 2);
    engine.connects[1]!.reject(new Error('failed to connect to the engine: ECONNREFUSED'));
    await waitFor(engine.actor, () => engine.connects.length === 3);
    engine.connects[2]!.resolve({ clock: 5 });
    await engine.reach('connected');
    engine.streams[0]!.synced();

    // Assert
    expect(engine.reports.map((report) => [report.reason, report.message])).toEqual([
      ['Stopped', 'Container engine stopped'],
      ['ConnectFailed', 'failed to connect to the engine: ENOENT'],
      ['ConnectFailed', 'failed to connect to the engine: ECONNREFUSED'],
      ['Syncing', 'Connected to the container engine; mirroring its objects'],
      ['Connected', 'Container engine connected'],
    ]);
  });

  it('should report Disconnected and reconnect when the event stream dies', async () => {
    // Arrange
    const engine = startEngine({ reconnectDelay: 0 });
    await arrive.connected(engine);

    // Act
    engine.streams[0]!.end('stream ended');
    await waitFor(engine.actor, () => engine.connects.length === 2);
    engine.connects[1]!.resolve({ clock: 2000 });
    await engine.reach('connected');
    engine.streams[1]!.synced();

    // Assert
    expect(engine.reports.slice(-3).map((report) => report.reason)).toEqual(['Disconnected', 'Syncing', 'Connected']);
    expect(engine.reports.at(-3)).toEqual({
      observedGeneration: 1,
      status: 'False',
      reason: 'Disconnected',
      message: 'lost the engine event stream: stream ended; reconnecting',
    });
    expect(engine.streams.map((stream) => [stream.input.since, stream.cleanedUp])).toEqual([
      [1000, true],
      [2000, false],
    ]);
  });

  it('should stay Disconnected with the new cause when a reconnect after a death fails', async () => {
    // Arrange
    const engine = startEngine({ reconnectDelay: 0 });
    await arrive.connected(engine);
    engine.streams[0]!.end('EOF');
    await waitFor(engine.actor, () => engine.connects.length === 2);

    // Act
    engine.connects[1]!.reject(new Error('connect ECONNREFUSED'));
    await waitFor(engine.actor, () => engine.connects.length === 3);

    // Assert
    expect(engine.last()).toEqual({
      observedGeneration: 1,
      status: 'False',
      reason: 'Disconnected',
      message: 'lost the engine event stream; reconnect failed: connect ECONNREFUSED',
    });
  });

  it('should sweep the mirrors and clean up the stream synchronously when DESIRED wanted=false arrives while connected', async () => {
    // Arrange
    const engine = startEngine({}, { holdSweeps: true });
    await arrive.connected(engine);

    // Act
    engine.send(desired(2, false));

    // Assert (no await: nothing may wait on the engine)
    expect(engine.state()).toBe('sweeping');
    expect(engine.streams[0]!.cleanedUp).toBe(true);
    expect(engine.last()).toMatchObject({ observedGeneration: 2, status: 'False', reason: 'Stopping' });
    engine.sweeps[0]!();
    await engine.reach('idle');
    expect(engine.last()).toEqual({
      observedGeneration: 2,
      status: 'False',
      reason: 'Stopped',
      message: 'Container engine stopped',
    });
  });

  it.each<[EngineState, string]>([
    ['waitingForDesired', 'the daemon starts while the VM is still starting'],
    ['connected', 'the VM restarts the engine'],
    ['backoff', 'the engine is unreachable'],
  ])('should keep the mirrors (no sweep) from %s when %s', async (from) => {
    // Arrange
    const engine = startEngine();
    await arrive[from](engine);

    // Act
    engine.send(desired(5, false, { retainMirrors: true }));

    // Assert
    expect(engine.state()).toBe('idle');
    expect(engine.sweepsStarted()).toBe(0);
    expect(engine.last()).toMatchObject({ observedGeneration: 5, status: 'False', reason: 'WaitingForVM' });
  });

  it('should sweep the kept mirrors once the App stops, and only once', async () => {
    // Arrange
    const engine = startEngine();
    await arrive.connected(engine);
    engine.send(desired(2, false, { retainMirrors: true }));

    // Act
    engine.send(desired(3, false));
    await engine.reach('idle');
    engine.send(desired(4, false));

    // Assert
    expect(engine.sweepsStarted()).toBe(1);
    expect(engine.last()).toMatchObject({ observedGeneration: 4, reason: 'Stopped' });
  });

  it('should finish the sweep before connecting again when the engine is wanted again meanwhile', async () => {
    // Arrange
    const engine = startEngine({}, { holdSweeps: true });
    await arrive.connected(engine);
    engine.send(desired(2, false));

    // Act
    engine.send(desired(3, true));
    const connectsDuringSweep = engine.connects.length;
    engine.sweeps[0]!();
    await engine.reach('connecting');

    // Assert
    expect(connectsDuringSweep).toBe(1);
    expect(engine.connects).toHaveLength(2);
    expect(engine.last()).toMatchObject({ observedGeneration: 3, reason: 'Stopped' });
  });

  it('should report Syncing until the first sync of a connection is done, and answer desired meanwhile', async () => {
    // Arrange
    const engine = startEngine();
    engine.send(desired(1, true));
    engine.connects[0]!.resolve({ clock: 7 });
    await engine.reach('connected');

    // Act
    engine.send(desired(2, true));

    // Assert
    expect(engine.last()).toMatchObject({ observedGeneration: 2, status: 'False', reason: 'Syncing' });
    engine.streams[0]!.synced();
    expect(engine.last()).toMatchObject({ observedGeneration: 2, status: 'True', reason: 'Connected' });
  });

  it('should abort the connect when DESIRED wanted=false arrives while connecting', async () => {
    // Arrange
    const engine = startEngine();
    await arrive.connecting(engine);

    // Act
    engine.send(desired(2, false));

    // Assert
    expect(engine.connects[0]!.signal.aborted).toBe(true);
    expect(engine.state()).toBe('sweeping');
  });

  it.each<[string, EngineDesired]>([
    ['not wanted', desired(1, false, { engine: 'containerd' })],
    ['wanted by mistake', desired(1, true, { engine: 'containerd' })],
  ])('should report NotApplicable and never connect when the engine is containerd and %s', async (_case, value) => {
    // Arrange
    const engine = startEngine();

    // Act
    engine.send(value);
    await engine.reach('idle');

    // Assert
    expect(engine.connects).toHaveLength(0);
    expect(engine.last()).toEqual({
      observedGeneration: 1,
      status: 'True',
      reason: 'NotApplicable',
      message: 'Engine mirroring is only supported with the moby engine',
    });
  });

  it('should keep the connection when only mirrorImages changes', async () => {
    // Arrange
    const engine = startEngine();
    await arrive.connected(engine);

    // Act
    engine.send(desired(2, true, { mirrorImages: false }));
    engine.send(desired(3, true, { mirrorImages: true }));

    // Assert
    expect(engine.connects).toHaveLength(1);
    expect(engine.streams[0]!.cleanedUp).toBe(false);
    expect(engine.reports.slice(-2).map((report) => [report.reason, report.observedGeneration])).toEqual([
      ['Connected', 2],
      ['Connected', 3],
    ]);
  });

  it('should reconnect to the new socket when the socket changes while connected', async () => {
    // Arrange
    const engine = startEngine();
    await arrive.connected(engine);

    // Act
    engine.send(desired(2, true, { socket: '/other.sock' }));
    engine.connects[1]!.resolve({ clock: 3000 });
    await engine.reach('connected');
    engine.streams[1]!.synced();

    // Assert
    expect(engine.streams[0]!.cleanedUp).toBe(true);
    expect(engine.streams[1]!.input).toEqual({ socket: '/other.sock', since: 3000 });
    expect(engine.reports.slice(-3).map((report) => [report.reason, report.message])).toEqual([
      ['Disconnected', 'the engine socket changed to /other.sock; reconnecting'],
      ['Syncing', 'Connected to the container engine; mirroring its objects'],
      ['Connected', 'Container engine connected'],
    ]);
  });

  it('should forgive earlier failures when the connection stays up for the quiet period', async () => {
    // Arrange
    const engine = startEngine({ reconnectDelay: 0, quietPeriod: 0 });
    engine.send(desired(1, true));
    engine.connects[0]!.reject(new Error('ENOENT'));
    await waitFor(engine.actor, () => engine.connects.length === 2);

    // Act
    engine.connects[1]!.resolve({ clock: 1 });
    await engine.reach('connected');
    const failuresWhenConnected = engine.actor.getSnapshot().context.failures;
    await waitFor(engine.actor, (snapshot) => snapshot.context.failures === 0);

    // Assert
    expect(failuresWhenConnected).toBe(1);
    expect(engine.state()).toBe('connected');
  });

  it('should start a new wanted period with ConnectFailed when the engine is wanted again after idle', async () => {
    // Arrange
    const engine = startEngine();
    await arrive.connected(engine);
    engine.send(desired(2, false));
    await engine.reach('idle');

    // Act
    engine.send(desired(3, true));
    engine.connects[1]!.reject(new Error('ENOENT'));
    await engine.reach('backoff');

    // Assert
    expect(engine.last()).toMatchObject({ reason: 'ConnectFailed', message: 'ENOENT', observedGeneration: 3 });
  });
});
