import { createMachine, fromCallback } from 'xstate';
import type { AnyActorRef } from 'xstate';
import { actorChild } from './actor-child.js';
import { context, refOf, worker, workerMachine } from './actor-child.fixtures.js';
import { Supervisor } from './supervisor.js';
import { FakeWorld, peek } from './supervisor.fixtures.js';

describe('actorChild stop', () => {
  it('should let the machine shut down to done and not report an exit when stopped gracefully', async () => {
    // Arrange
    const running = await worker().start(context);

    // Act
    await running.stop('shutdown');

    // Assert
    expect(refOf(running).getSnapshot().status).toBe('done');
    expect(refOf(running).getSnapshot().value).toBe('closed');
    expect(await peek(running.exited)).toBe('pending');
  });

  it.each([{ shutdownMs: 0 }, { shutdownMs: 1_000 }])(
    'should stop at once when the machine does not handle the shutdown event and shutdownMs is $shutdownMs',
    async ({ shutdownMs }) => {
      // Arrange
      const child = actorChild({
        id: 'idle',
        logic: createMachine({ initial: 'idle', states: { idle: {} } }),
        restart: 'temporary',
        shutdownMs,
      });
      const running = await child.start(context);

      // Act
      const stopped = await peek(running.stop('shutdown'));

      // Assert
      expect(stopped).toBeUndefined();
      expect((running.value as AnyActorRef).getSnapshot()).toMatchObject({ status: 'stopped' });
      expect(await peek(running.exited)).toBe('pending');
    },
  );

  it('should stop callback logic at once and run its cleanup when stopped', async () => {
    // Arrange
    const cleanups: string[] = [];
    const child = actorChild({
      id: 'watcher',
      logic: fromCallback(() => () => cleanups.push('cleaned')),
      restart: 'permanent',
      shutdownMs: 5_000,
    });
    const running = await child.start(context);

    // Act
    const stopped = await peek(running.stop('shutdown'));

    // Assert
    expect(stopped).toBeUndefined();
    expect(cleanups).toEqual(['cleaned']);
  });

  it('should stop the actor without an exit when killed, even twice', async () => {
    // Arrange
    const running = await worker().start(context);

    // Act
    running.kill();
    running.kill();

    // Assert
    expect(refOf(running).getSnapshot().status).toBe('stopped');
    expect(await peek(running.exited)).toBe('pending');
  });

  it('should restart a crashed actor with fresh input when it runs under a supervisor', async () => {
    // Arrange
    const world = new FakeWorld();
    let generation = 0;
    const child = actorChild({
      id: 'worker',
      logic: workerMachine,
      input: () => ({ generation: (generation += 1) }),
      restart: 'permanent',
      shutdownMs: 1_000,
      readyWhen: (snapshot) => snapshot.hasTag('ready'),
    });
    const supervisor = new Supervisor(world.spec([child]), world.deps());
    await supervisor.start();
    const first = supervisor.lookup<AnyActorRef>('worker');

    // Act
    first.send({ type: 'explode' });
    await world.clock.settle();

    // Assert
    const second = supervisor.lookup<AnyActorRef>('worker');
    expect(second).not.toBe(first);
    expect(generation).toBe(2);
    expect(second.getSnapshot().context).toMatchObject({ generation: 2 });
    expect(world.eventTrail()).toEqual(['started worker', 'crashed worker', 'restarting worker', 'started worker']);
    await supervisor.stop('shutdown');
    expect(second.getSnapshot().value).toBe('closed');
  });
});
