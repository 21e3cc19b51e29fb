import { Supervisor } from './supervisor.js';
import { drained, FakeWorld } from './supervisor.fixtures.js';
import type { RestartType, Strategy } from './types.js';

async function startThree(
  strategy: Strategy,
  restartOfB: RestartType = 'permanent',
): Promise<{ world: FakeWorld; supervisor: Supervisor; mark: number }> {
  const world = new FakeWorld();
  const supervisor = new Supervisor(
    world.spec([world.child('a'), world.child('b', { restart: restartOfB }), world.child('c')], { strategy }),
    world.deps(),
  );
  await supervisor.start();
  return { world, supervisor, mark: world.log.length };
}

describe('Supervisor restarts', () => {
  it.each([
    { strategy: 'one_for_one' as const, log: ['start b'] },
    { strategy: 'rest_for_one' as const, log: ['stop c', 'start b', 'start c'] },
    { strategy: 'one_for_all' as const, log: ['stop c', 'stop a', 'start a', 'start b', 'start c'] },
  ])('should do $log when the middle child crashes under $strategy', async ({ strategy, log }) => {
    // Arrange
    const { world, mark } = await startThree(strategy);

    // Act
    world.run('b').crash();
    await world.clock.settle();

    // Assert
    expect(world.since(mark)).toEqual(log);
  });

  it.each([
    { restart: 'permanent' as const, exit: 'crash' as const, restarted: true, reported: 'crashed' },
    { restart: 'permanent' as const, exit: 'normal' as const, restarted: true, reported: 'stopped' },
    { restart: 'transient' as const, exit: 'crash' as const, restarted: true, reported: 'crashed' },
    { restart: 'transient' as const, exit: 'normal' as const, restarted: false, reported: 'stopped' },
    { restart: 'temporary' as const, exit: 'crash' as const, restarted: false, reported: 'crashed' },
    { restart: 'temporary' as const, exit: 'normal' as const, restarted: false, reported: 'stopped' },
  ])(
    'should restart=$restarted a $restart child and report $reported when it exits with $exit',
    async ({ restart, exit, restarted, reported }) => {
      // Arrange
      const { world, supervisor, mark } = await startThree('one_for_all', restart);
      const eventsBefore = world.events.length;

      // Act
      if (exit === 'crash') world.run('b').crash();
      else world.run('b').exitNormally();
      await world.clock.settle();

      // Assert
      expect(world.since(mark)).toEqual(restarted ? ['stop c', 'stop a', 'start a', 'start b', 'start c'] : []);
      expect(world.events[eventsBefore]).toMatchObject({ type: reported, child: 'b' });
      if (!restarted) expect(() => supervisor.lookup('b')).toThrow('root/b is not running');
    },
  );

  it('should report stopped with reason normal when a transient child exits normally', async () => {
    // Arrange
    const { world } = await startThree('one_for_one', 'transient');

    // Act
    world.run('b').exitNormally();
    await world.clock.settle();

    // Assert
    expect(world.events.at(-1)).toMatchObject({ type: 'stopped', child: 'b', reason: 'normal' });
  });

  it('should not restart a temporary sibling that a strategy stopped', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec([world.child('a'), world.child('b', { restart: 'temporary' }), world.child('c')], {
        strategy: 'one_for_all',
      }),
      world.deps(),
    );
    await supervisor.start();
    const mark = world.log.length;

    // Act
    world.run('a').crash();
    await world.clock.settle();
    world.run('c').crash();
    await world.clock.settle();

    // Assert
    expect(world.since(mark)).toEqual(['stop c', 'stop b', 'start a', 'start c', 'stop a', 'start a', 'start c']);
  });

  it('should drop the crash of a sibling that the running strategy restart replaces anyway', async () => {
    // Arrange
    const { world, mark } = await startThree('one_for_all');

    // Act
    world.run('b').crash();
    world.run('c').crash();
    await world.clock.settle();

    // Assert
    expect(world.since(mark)).toEqual(['stop a', 'start a', 'start b', 'start c']);
    expect(world.events.filter((event) => event.type === 'restarting')).toHaveLength(1);
  });

  it('should handle a second crash after the first restart completes when both arrive under one_for_one', async () => {
    // Arrange
    const { world, mark } = await startThree('one_for_one');

    // Act
    world.run('a').crash();
    await world.until(() => world.clock.pending().length === 1, "a's restart waits out its backoff");
    world.run('c').crash();
    await world.clock.settle();

    // Assert
    expect(world.since(mark)).toEqual(['start a', 'start c']);
    expect(world.eventTrail().slice(3)).toEqual([
      'crashed a',
      'restarting a',
      'crashed c',
      'started a',
      'restarting c',
      'started c',
    ]);
  });

  it('should count restarts per child in started events when siblings restart with it', async () => {
    // Arrange
    const { world } = await startThree('rest_for_one');

    // Act
    world.run('b').crash();
    await world.clock.settle();
    world.run('a').crash();
    await world.clock.settle();

    // Assert
    const started = world.events.filter((event) => event.type === 'started');
    expect(started.map((event) => `${event.child}:${event.restarts}`)).toEqual([
      'a:0',
      'b:0',
      'c:0',
      'b:1',
      'c:1',
      'a:1',
      'b:2',
      'c:2',
    ]);
  });

  it('should report crashed, restarting and started in that order when a child crashes', async () => {
    // Arrange
    const { world } = await startThree('one_for_one');
    world.clock.now = 1_000;
    const eventsBefore = world.events.length;

    // Act
    world.run('b').crash(new TypeError('socket closed'));
    await world.clock.settle();

    // Assert
    expect(world.events.slice(eventsBefore)).toEqual([
      {
        type: 'crashed',
        supervisor: 'root',
        child: 'b',
        error: { name: 'TypeError', message: 'socket closed' },
        at: '1970-01-01T00:00:01.000Z',
      },
      { type: 'restarting', supervisor: 'root', child: 'b', delayMs: 100, restarts: 1, at: '1970-01-01T00:00:01.000Z' },
      { type: 'started', supervisor: 'root', child: 'b', restarts: 1, at: '1970-01-01T00:00:01.100Z' },
    ]);
  });

  it('should give a restarted later child the new value of its dependency when rest_for_one restarts both', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec(
        [world.child('bus'), world.child('store', { value: (context) => `store on ${context.lookup<string>('bus')}` })],
        { strategy: 'rest_for_one' },
      ),
      world.deps(),
    );
    await supervisor.start();

    // Act
    world.run('bus').crash();
    await world.clock.settle();

    // Assert
    expect(supervisor.lookup('bus')).toBe('bus#2');
    expect(supervisor.lookup('store')).toBe('store on bus#2');
  });

  it('should ignore the exit of a child that the supervisor stopped itself', async () => {
    // Arrange
    const { world, supervisor } = await startThree('rest_for_one');
    world.run('b').crash();
    await world.clock.settle();
    const stoppedRunOfC = world.runsOf('c')[0]!;
    const mark = world.log.length;

    // Act
    stoppedRunOfC.crash();
    await world.clock.settle();
    await supervisor.stop();

    // Assert
    expect(world.since(mark)).toEqual(['stop c', 'stop b', 'stop a']);
  });
});

describe('Supervisor restarts when a dependent crashes first', () => {
  it('should restart the dependency before retrying a dependent whose restart failed for lack of it', async () => {
    // Arrange: c looks up b, as the API looks up the bus. A bus death makes the API crash a moment
    // before the bus's own crash is seen.
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec(
        [
          world.child('a'),
          world.child('b'),
          world.child('c', { value: (context) => `c using ${context.lookup<string>('b')}` }),
        ],
        { strategy: 'rest_for_one', intensity: 3 },
      ),
      world.deps(),
    );
    await supervisor.start();
    const mark = world.log.length;

    // Act
    world.run('c').crash(new Error('subscription stopped'));
    world.run('b').crash(new Error('server exited'));
    await world.clock.settle();

    // Assert
    expect(world.since(mark)).toEqual(['start c', 'start b', 'start c']);
    expect(supervisor.lookup('c')).toBe('c using b#2');
    await expect(Promise.race([supervisor.exited, drained().then(() => 'running')])).resolves.toBe('running');
  });
});
