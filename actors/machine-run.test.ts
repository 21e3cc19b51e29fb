import winston from 'winston';
import { createMachine, fromPromise, setup } from 'xstate';
import { runMachine, type SupervisorShutdownEvent } from './machine-run.js';
import type { Exit } from './supervision/types.js';

const logger = winston.createLogger({ silent: true });

/** Is `ready` until told to fail or finish; on `supervisor.shutdown` it closes, then is done. */
const workerMachine = setup({
  types: { events: {} as { type: 'explode' } | { type: 'finish' } | SupervisorShutdownEvent },
  actors: { closeConnections: fromPromise<void>(() => Promise.resolve()) },
  actions: {
    explode: () => {
      throw new Error('exploded');
    },
  },
}).createMachine({
  initial: 'ready',
  states: {
    ready: { on: { explode: { actions: 'explode' }, finish: 'finished', 'supervisor.shutdown': 'closing' } },
    closing: { invoke: { src: 'closeConnections', onDone: 'closed' } },
    closed: { type: 'final' },
    finished: { type: 'final' },
  },
});

const idleMachine = createMachine({ initial: 'idle', states: { idle: {} } });

/** The exit, or `pending` when it has not settled once every queued callback has run. */
async function exitOf(exited: Promise<Exit>): Promise<Exit | 'pending'> {
  const pending = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20));
  return Promise.race([exited, pending]);
}

describe('runMachine', () => {
  it('should exit normally when the machine reaches a final state', async () => {
    // Arrange
    const run = runMachine(workerMachine, logger, 'worker');

    // Act
    run.actor.send({ type: 'finish' });

    // Assert
    expect(await run.exited).toEqual({ kind: 'normal' });
  });

  it('should exit with a crash carrying the error when an action throws', async () => {
    // Arrange
    const run = runMachine(workerMachine, logger, 'worker');

    // Act
    run.actor.send({ type: 'explode' });
    const exit = await run.exited;

    // Assert
    expect(exit.kind).toBe('crash');
    expect(exit.kind === 'crash' && exit.error.message).toBe('exploded');
  });

  it('should let the machine shut down to its final state and not report an exit when stopped gracefully', async () => {
    // Arrange
    const run = runMachine(workerMachine, logger, 'worker');

    // Act
    await run.stop();

    // Assert
    expect(run.actor.getSnapshot().status).toBe('done');
    expect(run.actor.getSnapshot().value).toBe('closed');
    expect(await exitOf(run.exited)).toBe('pending');
  });

  it('should stop at once when the machine does not handle the shutdown event', async () => {
    // Arrange
    const run = runMachine(idleMachine, logger, 'idle');

    // Act
    await run.stop();

    // Assert
    expect(run.actor.getSnapshot().status).toBe('stopped');
    expect(await exitOf(run.exited)).toBe('pending');
  });

  it('should stop the actor without an exit when killed, even twice, and detach its inspection once', async () => {
    // Arrange
    const detach = jest.fn();
    const run = runMachine(workerMachine, logger, 'worker', () => detach);

    // Act
    run.kill();
    run.kill();

    // Assert
    expect(run.actor.getSnapshot().status).toBe('stopped');
    expect(await exitOf(run.exited)).toBe('pending');
    expect(detach).toHaveBeenCalledTimes(1);
  });

  it('should attach inspection before the start so the first state is seen', () => {
    // Arrange
    const seen: string[] = [];

    // Act
    runMachine(idleMachine, logger, 'idle', (id, actor) => {
      seen.push(`${id}:${actor.getSnapshot().status}`);
      return () => undefined;
    }).kill();

    // Assert
    expect(seen).toEqual(['idle:active']);
  });
});
