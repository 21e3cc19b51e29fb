import { createMachine, fromPromise } from 'xstate';
import { actorChild } from './actor-child.js';
import { context, refOf, worker, workerMachine } from './actor-child.fixtures.js';
import type { WorkerInput } from './actor-child.fixtures.js';
import { Gate, peek } from './supervisor.fixtures.js';
import type { Exit } from './types.js';

describe('actorChild', () => {
  it('should resolve start only when readyWhen holds when the machine gets ready later', async () => {
    // Arrange
    const gate = new Gate();
    const child = worker({ generation: 1, connect: () => gate.wait() });

    // Act
    const starting = child.start(context);
    const beforeGate = await peek(starting);
    gate.release();
    const running = await starting;

    // Assert
    expect(beforeGate).toBe('pending');
    expect(refOf(running).getSnapshot().hasTag('ready')).toBe(true);
  });

  it('should resolve start right after the actor starts when no readyWhen is given', async () => {
    // Arrange
    const child = actorChild({
      id: 'worker',
      logic: workerMachine,
      input: () => ({ generation: 1, connect: () => new Promise<void>(() => undefined) }),
      restart: 'permanent',
      shutdownMs: 0,
      value: (actor) => actor.getSnapshot().value,
    });

    // Act
    const running = await child.start(context);

    // Assert
    expect(running.value).toBe('connecting');
    running.kill();
  });

  it.each([
    { cause: 'an action throws', event: { type: 'explode' } as const, message: 'exploded' },
    { cause: 'an invoked promise rejects', event: { type: 'lose' } as const, message: 'lost connection' },
    { cause: 'a non-Error is thrown', event: { type: 'explodeWith', value: 'kaput' } as const, message: 'kaput' },
  ])('should exit with a crash when $cause', async ({ event, message }) => {
    // Arrange
    const running = await worker().start(context);

    // Act
    refOf(running).send(event);
    const exit = await running.exited;

    // Assert
    expect(exit.kind).toBe('crash');
    const { error } = exit as Extract<Exit, { kind: 'crash' }>;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(message);
  });

  it('should exit normally when the machine reaches a final state', async () => {
    // Arrange
    const running = await worker().start(context);

    // Act
    refOf(running).send({ type: 'finish' });

    // Assert
    await expect(running.exited).resolves.toEqual({ kind: 'normal' });
  });

  it.each([
    {
      when: 'the initial entry action throws',
      logic: createMachine({
        initial: 'boot',
        states: {
          boot: {
            entry: () => {
              throw new Error('bad config');
            },
          },
        },
      }),
      message: 'bad config',
    },
    {
      when: 'it finishes before it is ready',
      logic: createMachine({ initial: 'done', states: { done: { type: 'final' } } }),
      message: 'worker finished before it was ready',
    },
    {
      when: 'it finishes during start and no readyWhen is given',
      logic: createMachine({ initial: 'done', states: { done: { type: 'final' } } }),
      message: 'worker finished before it was ready',
      immediate: true,
    },
    {
      when: 'its connection fails before it is ready',
      logic: workerMachine.provide({
        actors: { connect: fromPromise<void, () => Promise<void>>(() => Promise.reject(new Error('refused'))) },
      }),
      message: 'refused',
    },
  ])('should reject start when $when', async ({ logic, message, immediate }) => {
    // Arrange
    const child = actorChild({
      id: 'worker',
      logic,
      input: () => ({ generation: 1 }),
      restart: 'permanent',
      shutdownMs: 1_000,
      readyWhen: immediate === true ? undefined : (snapshot) => snapshot.hasTag('ready'),
    });

    // Act
    const starting = child.start(context);

    // Assert
    await expect(starting).rejects.toThrow(message);
  });

  it.each([
    {
      when: 'readyWhen throws',
      readyWhen: (): boolean => {
        throw new Error('bad predicate');
      },
      value: undefined,
    },
    {
      when: 'value throws',
      readyWhen: undefined,
      value: (): unknown => {
        throw new Error('bad predicate');
      },
    },
    { when: 'the input function throws', readyWhen: undefined, value: undefined, badInput: true },
  ])('should reject start when $when', async ({ readyWhen, value, badInput }) => {
    // Arrange
    const child = actorChild({
      id: 'worker',
      logic: workerMachine,
      input: (): WorkerInput => {
        if (badInput === true) throw new Error('bad predicate');
        return { generation: 1 };
      },
      restart: 'permanent',
      shutdownMs: 1_000,
      readyWhen,
      value,
    });

    // Act
    const starting = child.start(context);

    // Assert
    await expect(starting).rejects.toThrow('bad predicate');
  });
});
