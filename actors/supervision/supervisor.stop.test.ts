import { Supervisor } from './supervisor.js';
import { FakeWorld, Gate } from './supervisor.fixtures.js';

describe('Supervisor stop', () => {
  it.each([
    { stop: 'resolve' as const, shutdownMs: 1_000, log: ['stop a'], reason: 'shutdown' },
    { stop: 'hang' as const, shutdownMs: 1_000, log: ['stop a', 'kill a'], reason: 'killed' },
    { stop: 'reject' as const, shutdownMs: 1_000, log: ['stop a', 'kill a'], reason: 'killed' },
    { stop: 'resolve' as const, shutdownMs: 0, log: ['kill a'], reason: 'killed' },
  ])(
    'should log $log and report $reason when a child whose stop does $stop is stopped with shutdownMs $shutdownMs',
    async ({ stop, shutdownMs, log, reason }) => {
      // Arrange
      const world = new FakeWorld();
      const supervisor = new Supervisor(world.spec([world.child('a', { stop, shutdownMs })]), world.deps());
      await supervisor.start();
      const mark = world.log.length;

      // Act
      const stopped = supervisor.stop();
      await world.clock.settle();
      await stopped;

      // Assert
      expect(world.since(mark)).toEqual(log);
      expect(world.events.at(-1)).toMatchObject({ type: 'stopped', child: 'a', reason });
    },
  );

  it('should wait exactly shutdownMs before killing when a child does not stop', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(world.spec([world.child('a', { stop: 'hang', shutdownMs: 250 })]), world.deps());
    await supervisor.start();

    // Act
    const stopped = supervisor.stop();
    await world.clock.advance(249);
    const before = [...world.log];
    await world.clock.advance(1);
    await stopped;

    // Assert
    expect(before).toEqual(['start a', 'stop a']);
    expect(world.log).toEqual(['start a', 'stop a', 'kill a']);
  });

  it('should return promptly and start nothing when stopped during a restart backoff', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(world.spec([world.child('a'), world.child('b')]), world.deps());
    await supervisor.start();
    world.run('a').crash();
    await world.until(() => world.clock.pending().length > 0, 'the restart backoff sleeps');
    expect(world.clock.pending()).toEqual([100]);

    // Act
    await supervisor.stop();
    await world.clock.settle();

    // Assert
    expect(world.log).toEqual(['start a', 'start b', 'stop b']);
    expect(world.clock.pending()).toEqual([]);
    await expect(supervisor.exited).resolves.toEqual({ kind: 'normal' });
  });

  it('should stop a child whose initial start resolves after stop began', async () => {
    // Arrange
    const world = new FakeWorld();
    const gate = new Gate();
    const supervisor = new Supervisor(
      world.spec([world.child('a'), world.child('b', { gate }), world.child('c')]),
      world.deps(),
    );
    const started = supervisor.start().catch((err: unknown) => err);
    await world.until(() => world.log.includes('start b'), 'b is starting');

    // Act
    const stopped = supervisor.stop();
    gate.release();
    await stopped;

    // Assert
    expect(world.log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
    expect(await started).toMatchObject({ message: 'failed to start root: stopped while starting' });
  });

  it('should stop a child whose restart resolves after stop began', async () => {
    // Arrange
    const world = new FakeWorld();
    const gate = new Gate();
    const supervisor = new Supervisor(world.spec([world.child('a', { gate })]), world.deps());
    const started = supervisor.start();
    await world.until(() => world.log.includes('start a'), 'a is starting');
    gate.release();
    await started;
    world.run('a').crash();
    await world.clock.settle();

    // Act
    const stopped = supervisor.stop();
    gate.release();
    await stopped;

    // Assert
    expect(world.log).toEqual(['start a', 'start a', 'stop a']);
  });

  it('should kill every running child at once and settle exited when killed', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec([world.child('a'), world.child('b', { stop: 'hang' }), world.child('c')]),
      world.deps(),
    );
    await supervisor.start();
    const stopped = supervisor.stop();
    await world.until(() => world.log.includes('stop b'), 'b is asked to stop');

    // Act
    supervisor.kill();
    await stopped;

    // Assert
    expect(world.log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'kill b', 'kill a']);
    await expect(supervisor.exited).resolves.toEqual({ kind: 'normal' });
  });

  it('should kill a child whose start resolves after the supervisor was killed', async () => {
    // Arrange
    const world = new FakeWorld();
    const gate = new Gate();
    const supervisor = new Supervisor(world.spec([world.child('a'), world.child('b', { gate })]), world.deps());
    const started = supervisor.start().catch((err: unknown) => err);
    await world.until(() => world.log.includes('start b'), 'b is starting');

    // Act
    supervisor.kill();
    gate.release();
    await world.until(() => world.log.includes('kill b'), 'b is killed');

    // Assert
    expect(world.log).toEqual(['start a', 'start b', 'kill a', 'kill b']);
    expect(await started).toBeInstanceOf(Error);
  });
});
