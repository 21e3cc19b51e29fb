import { EscalationError } from './errors.js';
import { Supervisor } from './supervisor.js';
import { supervisorChild } from './supervisor-child.js';
import { FakeWorld, peek } from './supervisor.fixtures.js';
import type { SpecOptions } from './supervisor.fixtures.js';
import type { Exit } from './types.js';

async function startTwo(options: SpecOptions): Promise<{ world: FakeWorld; supervisor: Supervisor }> {
  const world = new FakeWorld();
  const supervisor = new Supervisor(world.spec([world.child('a'), world.child('b')], options), world.deps());
  await supervisor.start();
  return { world, supervisor };
}

/** Crashes the latest run of `id` and lets the restart (and its backoff) play out. */
async function crash(world: FakeWorld, id: string, message = `${id} broke`): Promise<void> {
  world.run(id).crash(new Error(message));
  await world.clock.settle();
}

function delays(world: FakeWorld): number[] {
  return world.events.flatMap((event) => (event.type === 'restarting' ? [event.delayMs] : []));
}

describe('Supervisor intensity and backoff', () => {
  it.each([{ intensity: 0 }, { intensity: 1 }, { intensity: 3 }])(
    'should keep running after exactly $intensity restarts and escalate on the next one when intensity is $intensity',
    async ({ intensity }) => {
      // Arrange
      const { world, supervisor } = await startTwo({ intensity, periodMs: 5_000 });
      for (let crashes = 0; crashes < intensity; crashes += 1) await crash(world, 'b');
      const runningBefore = await peek(supervisor.exited);

      // Act
      await crash(world, 'b', 'last straw');

      // Assert
      expect(runningBefore).toBe('pending');
      expect(world.runsOf('b')).toHaveLength(intensity + 1);
      const exit = await supervisor.exited;
      expect(exit.kind).toBe('crash');
    },
  );

  it('should stop the children in reverse order, report escalated and crash with an EscalationError when it gives up', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec([world.child('bus'), world.child('store'), world.child('api')], { intensity: 3, periodMs: 5_000 }),
      world.deps(),
    );
    await supervisor.start();
    for (let crashes = 1; crashes <= 3; crashes += 1) await crash(world, 'bus', `lost ${crashes}`);
    const mark = world.log.length;

    // Act
    await crash(world, 'bus', 'lost 4');

    // Assert
    expect(world.since(mark)).toEqual(['stop api', 'stop store']);
    const exit = (await supervisor.exited) as Extract<Exit, { kind: 'crash' }>;
    expect(exit.error).toBeInstanceOf(EscalationError);
    expect(exit.error.name).toBe('EscalationError');
    expect(exit.error.message).toBe('supervisor root gave up: 4 restarts in 5000 ms; last: bus: lost 4');
    expect((exit.error.cause as Error).message).toBe('lost 4');
    expect(world.events.at(-1)).toEqual({
      type: 'escalated',
      supervisor: 'root',
      child: 'root',
      restarts: 4,
      periodMs: 5_000,
      error: { name: 'Error', message: 'lost 4' },
      at: new Date(world.clock.now).toISOString(),
    });
  });

  it('should not count restarts older than the period when deciding to escalate', async () => {
    // Arrange
    const { world, supervisor } = await startTwo({ intensity: 1, periodMs: 5_000 });
    await crash(world, 'b');

    // Act
    world.clock.now += 5_000;
    await crash(world, 'b');

    // Assert
    expect(await peek(supervisor.exited)).toBe('pending');
    expect(world.runsOf('b')).toHaveLength(3);
  });

  it('should double the delay per consecutive crash up to maxMs when random gives no jitter', async () => {
    // Arrange
    const { world } = await startTwo({ backoff: { initialMs: 100, maxMs: 1_000, jitter: 0.5 } });

    // Act
    for (let crashes = 0; crashes < 6; crashes += 1) await crash(world, 'b');

    // Assert
    expect(delays(world)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(world.clock.requested).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('should grow by the given factor when one is set', async () => {
    // Arrange
    const { world } = await startTwo({ backoff: { initialMs: 10, maxMs: 10_000, factor: 3 } });

    // Act
    for (let crashes = 0; crashes < 3; crashes += 1) await crash(world, 'b');

    // Assert
    expect(delays(world)).toEqual([10, 30, 90]);
  });

  it('should go back to initialMs when the child ran for resetAfterMs before crashing', async () => {
    // Arrange
    const { world } = await startTwo({ backoff: { initialMs: 100, resetAfterMs: 10_000 } });
    await crash(world, 'b');
    await crash(world, 'b');

    // Act
    world.clock.now += 9_999;
    await crash(world, 'b');
    world.clock.now += 10_000;
    await crash(world, 'b');

    // Assert
    expect(delays(world)).toEqual([100, 200, 400, 100]);
  });

  it('should keep backoff per child when siblings crash in turn', async () => {
    // Arrange
    const { world } = await startTwo({});

    // Act
    await crash(world, 'a');
    await crash(world, 'b');
    await crash(world, 'a');

    // Assert
    expect(delays(world)).toEqual([100, 100, 200]);
  });

  it.each([
    { random: 0, expected: 50 },
    { random: 0.5, expected: 100 },
    { random: 0.999_999, expected: 150 },
  ])('should delay about $expected ms when random is $random and jitter is 0.5', async ({ random, expected }) => {
    // Arrange
    const { world } = await startTwo({ backoff: { initialMs: 100, jitter: 0.5 } });
    world.random = random;

    // Act
    await crash(world, 'b');

    // Assert
    const [delay] = delays(world);
    expect(delay).toBeCloseTo(expected, 3);
    expect(delay).toBeGreaterThanOrEqual(50);
    expect(delay).toBeLessThanOrEqual(150);
  });

  it('should treat a failing restart as another crash and escalate when restarts keep failing', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec(
        [
          world.child('a'),
          world.child('b', { failStart: (attempt) => (attempt > 1 ? new Error('no socket') : undefined) }),
        ],
        { intensity: 3 },
      ),
      world.deps(),
    );
    await supervisor.start();

    // Act
    await crash(world, 'b');

    // Assert
    expect(world.log).toEqual(['start a', 'start b', 'start b', 'start b', 'start b', 'stop a']);
    expect(delays(world)).toEqual([100, 200, 400]);
    const exit = (await supervisor.exited) as Extract<Exit, { kind: 'crash' }>;
    expect(exit.error.message).toBe('supervisor root gave up: 4 restarts in 5000 ms; last: b: no socket');
    expect(world.eventTrail().filter((entry) => entry === 'crashed b')).toHaveLength(4);
  });

  it('should recover when a restart fails once and the next attempt succeeds', async () => {
    // Arrange
    const world = new FakeWorld();
    const supervisor = new Supervisor(
      world.spec([world.child('a', { failStart: (attempt) => (attempt === 2 ? new Error('busy') : undefined) })]),
      world.deps(),
    );
    await supervisor.start();

    // Act
    await crash(world, 'a');

    // Assert
    expect(supervisor.lookup('a')).toBe('a#3');
    expect(world.events.at(-1)).toMatchObject({ type: 'started', child: 'a', restarts: 2 });
  });

  it('should let the parent apply its strategy when a nested supervisor escalates', async () => {
    // Arrange
    const world = new FakeWorld();
    const inner = world.spec([world.child('x'), world.child('y')], { id: 'inner', intensity: 0 });
    const parent = new Supervisor(
      world.spec([world.child('a'), supervisorChild(inner, world.deps()), world.child('c')], {
        strategy: 'one_for_all',
      }),
      world.deps(),
    );
    await parent.start();
    const mark = world.log.length;

    // Act
    await crash(world, 'x', 'x broke');

    // Assert
    expect(world.since(mark)).toEqual(['stop y', 'stop c', 'stop a', 'start a', 'start x', 'start y', 'start c']);
    expect(world.events.find((event) => event.type === 'crashed' && event.child === 'inner')).toMatchObject({
      supervisor: 'root',
      error: { name: 'EscalationError', message: 'supervisor inner gave up: 1 restarts in 5000 ms; last: x: x broke' },
    });
    expect(parent.lookup<Supervisor>('inner').lookup('x')).toBe('x#2');
  });

  it('should stop a nested subtree in reverse order when the parent stops', async () => {
    // Arrange
    const world = new FakeWorld();
    const inner = world.spec([world.child('x'), world.child('y')], { id: 'inner' });
    const parent = new Supervisor(
      world.spec([world.child('a'), supervisorChild(inner, world.deps(), 'transient', 5_000)]),
      world.deps(),
    );
    await parent.start();

    // Act
    await parent.stop();

    // Assert
    expect(world.log).toEqual(['start a', 'start x', 'start y', 'stop y', 'stop x', 'stop a']);
    expect(world.events.at(-2)).toMatchObject({
      type: 'stopped',
      supervisor: 'root',
      child: 'inner',
      reason: 'shutdown',
    });
  });
});
