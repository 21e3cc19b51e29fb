import winston from 'winston';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import { ChildStartError, Supervisor } from './index.js';
import { FakeWorld, peek } from './supervisor.fixtures.js';
import type { Exit } from './types.js';

describe('Supervisor lifecycle', () => {
  it('should start children in order and stop them in reverse order when started and then stopped', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(world.spec([world.child('a'), world.child('b'), world.child('c')]), world.deps());

    // Act
    await supervisor.start();
    await supervisor.stop();

    // Assert
    expect(world.log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    await expect(supervisor.exited).resolves.toEqual({ kind: 'normal' });
  });

  it('should report started and stopped events with the supervisor, child and fake time when it runs', async () => {
    // Arrange
    const world = new FakeWorld();
    world.clock.now = Date.UTC(2030, 0, 2, 3, 4, 5);
    const supervisor = new Supervisor(world.spec([world.child('a'), world.child('b')]), world.deps());

    // Act
    await supervisor.start();
    await supervisor.stop();

    // Assert
    const at = '2030-01-02T03:04:05.000Z';
    expect(world.events).toEqual([
      { type: 'started', supervisor: 'root', child: 'a', restarts: 0, at },
      { type: 'started', supervisor: 'root', child: 'b', restarts: 0, at },
      { type: 'stopped', supervisor: 'root', child: 'b', reason: 'shutdown', at },
      { type: 'stopped', supervisor: 'root', child: 'a', reason: 'shutdown', at },
    ]);
  });

  it('should stop children only once when stop is called twice', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(world.spec([world.child('a')]), world.deps());
    await supervisor.start();

    // Act
    await Promise.all([supervisor.stop(), supervisor.stop()]);
    await supervisor.stop();

    // Assert
    expect(world.log).toEqual(['start a', 'stop a']);
  });

  it('should reject and stop the started siblings in reverse order when a child fails its initial start', async () => {
    // Arrange
    const world = new FakeWorld();
    const cause = new Error('port in use');
    const supervisor = new Supervisor(
      world.spec([world.child('a'), world.child('b'), world.child('c', { failStart: () => cause }), world.child('d')]),
      world.deps(),
    );

    // Act
    const started = supervisor.start();

    // Assert
    await expect(started).rejects.toThrow('failed to start root/c: port in use');
    const error = (await started.catch((err: unknown) => err)) as ChildStartError;
    expect(error).toBeInstanceOf(ChildStartError);
    expect(error.cause).toBe(cause);
    await world.clock.settle();
    expect(world.log).toEqual(['start a', 'start b', 'start c', 'stop b', 'stop a']);
    expect(world.eventTrail()).toEqual(['started a', 'started b', 'crashed c', 'stopped b', 'stopped a']);
    const exit = (await supervisor.exited) as Extract<Exit, { kind: 'crash' }>;
    expect(exit.error).toBe(error);
  });

  it('should give a later child the value of an earlier sibling when it looks it up', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec([
        world.child('bus'),
        world.child('store', { value: (context) => `store on ${context.lookup<string>('bus')}` }),
      ]),
      world.deps(),
    );

    // Act
    await supervisor.start();

    // Assert
    expect(supervisor.lookup('store')).toBe('store on bus#1');
  });

  it.each([
    { target: 'store', message: 'root/bus may only look up earlier siblings, not store' },
    { target: 'bus', message: 'root/bus may only look up earlier siblings, not bus' },
    { target: 'nope', message: 'supervisor root has no child nope' },
  ])('should fail the start when a child looks up $target', async ({ target, message }) => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec([world.child('bus', { value: (context) => context.lookup(target) }), world.child('store')]),
      world.deps(),
    );

    // Act
    const started = supervisor.start();

    // Assert
    await expect(started).rejects.toThrow(`failed to start root/bus: ${message}`);
  });

  it('should throw from lookup when the child is not running', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(world.spec([world.child('a')]), world.deps());
    await supervisor.start();

    // Act
    world.run('a').crash();
    await world.until(() => world.eventTrail().includes('crashed a'), 'the crash of a is reported');

    // Assert
    expect(() => supervisor.lookup('a')).toThrow('root/a is not running');
  });

  it('should keep supervising when the telemetry sink throws', async () => {
    // Arrange
    const world = new FakeWorld();
    const deps = {
      ...world.deps(),
      report: () => {
        throw new Error('bus down');
      },
    };
    const supervisor = new Supervisor(world.spec([world.child('a')]), deps);
    await supervisor.start();

    // Act
    world.run('a').crash();
    await world.clock.settle();

    // Assert
    expect(world.log).toEqual(['start a', 'start a']);
    expect(await peek(supervisor.exited)).toBe('pending');
  });

  it('should restart a crashed child with the default clock, sleep and randomness when none are injected', async () => {
    // Arrange
    const world = new FakeWorld();
    let restarted: () => void = () => undefined;
    const secondStart = new Promise<void>((resolve) => (restarted = resolve));
    const report = (event: SupervisionEvent): void => {
      if (event.type === 'started' && event.restarts === 1) restarted();
    };
    const supervisor = new Supervisor(world.spec([world.child('a')], { backoff: { initialMs: 1, maxMs: 1 } }), {
      logger: winston.createLogger({ silent: true }),
      report,
    });
    await supervisor.start();

    // Act
    world.run('a').crash();
    await secondStart;
    await supervisor.stop();

    // Assert
    expect(world.log).toEqual(['start a', 'start a', 'stop a']);
  });
});
