// Every stop carries its reason down the tree: only an explicit stop is a `shutdown`; everything a
// supervisor does on its own (strategy restarts, escalation, a failed start) is a `restart`, so a child
// that manages something longer-lived (dockerd, a VM) detaches instead of ending it.
import { Supervisor } from './supervisor.js';
import { supervisorChild } from './supervisor-child.js';
import { FakeWorld } from './supervisor.fixtures.js';

describe('Supervisor stop reasons', () => {
  it('should stop every child with shutdown, nested ones included, when stopped without a reason', async () => {
    // Arrange
    const world = new FakeWorld();
    const inner = world.spec([world.child('x')], { id: 'inner' });
    const root = new Supervisor(world.spec([world.child('a'), supervisorChild(inner, world.deps())]), world.deps());
    await root.start();

    // Act
    await root.stop();

    // Assert
    expect(world.run('a').stopReasons).toEqual(['shutdown']);
    expect(world.run('x').stopReasons).toEqual(['shutdown']);
  });

  it('should pass restart to the whole subtree when the parent is stopped for a restart', async () => {
    // Arrange
    const world = new FakeWorld();
    const inner = world.spec([world.child('x')], { id: 'inner' });
    const root = new Supervisor(world.spec([world.child('a'), supervisorChild(inner, world.deps())]), world.deps());
    await root.start();

    // Act
    await root.stop('restart');

    // Assert
    expect(world.run('a').stopReasons).toEqual(['restart']);
    expect(world.run('x').stopReasons).toEqual(['restart']);
  });

  it('should stop the later siblings with restart when rest_for_one restarts them after a crash', async () => {
    // Arrange
    const world = new FakeWorld();
    const inner = world.spec([world.child('vm')], { id: 'app' });
    const root = new Supervisor(
      world.spec([world.child('bus'), supervisorChild(inner, world.deps()), world.child('api')], {
        strategy: 'rest_for_one',
      }),
      world.deps(),
    );
    await root.start();
    const [firstVm] = world.runsOf('vm');

    // Act
    world.run('bus').crash();
    await world.clock.settle();

    // Assert
    expect(world.runsOf('vm')).toHaveLength(2);
    expect(firstVm?.stopReasons).toEqual(['restart']);
    expect(world.runsOf('api')[0]?.stopReasons).toEqual(['restart']);
  });

  it('should stop the children with restart when the supervisor escalates', async () => {
    // Arrange
    const world = new FakeWorld();
    const root = new Supervisor(world.spec([world.child('vm'), world.child('b')], { intensity: 0 }), world.deps());
    await root.start();

    // Act
    world.run('b').crash();
    await world.clock.settle();
    const exit = await root.exited;

    // Assert
    expect(exit.kind).toBe('crash');
    expect(world.run('vm').stopReasons).toEqual(['restart']);
  });

  it('should stop the children already started with restart when a later child fails to start', async () => {
    // Arrange
    const world = new FakeWorld();
    const root = new Supervisor(
      world.spec([world.child('vm'), world.child('api', { failStart: () => new Error('port taken') })]),
      world.deps(),
    );

    // Act
    await expect(root.start()).rejects.toThrow('port taken');

    // Assert
    expect(world.run('vm').stopReasons).toEqual(['restart']);
  });

  it('should report the reason in the stopped telemetry', async () => {
    // Arrange
    const world = new FakeWorld();
    const root = new Supervisor(
      world.spec([world.child('a'), world.child('b')], { strategy: 'rest_for_one' }),
      world.deps(),
    );
    await root.start();

    // Act
    world.run('a').crash();
    await world.clock.settle();
    await root.stop();

    // Assert
    const stops = world.events.filter((event) => event.type === 'stopped');
    expect(stops.map((event) => `${event.child} ${'reason' in event ? event.reason : ''}`)).toEqual([
      'b restart',
      'b shutdown',
      'a shutdown',
    ]);
  });
});
