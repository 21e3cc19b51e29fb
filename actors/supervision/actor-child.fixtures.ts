/** A small real machine and helpers for the actorChild tests. */
import winston from 'winston';
import { fromPromise, setup } from 'xstate';
import type { ActorRefFrom } from 'xstate';
import { actorChild } from './actor-child.js';
import type { SupervisorShutdownEvent } from './actor-child.js';
import type { ChildContext, ChildSpec, Running } from './types.js';

export interface WorkerInput {
  readonly generation: number;
  readonly connect?: () => Promise<void>;
}

type WorkerEvent =
  { type: 'explode' } | { type: 'explodeWith'; value: unknown } | { type: 'finish' } | { type: 'lose' };

/** Connects, is `ready` (tagged) until told to fail, finish or shut down. */
export const workerMachine = setup({
  types: {
    input: {} as WorkerInput,
    context: {} as { generation: number; connect: () => Promise<void> },
    events: {} as WorkerEvent | SupervisorShutdownEvent,
  },
  actors: {
    connect: fromPromise<void, () => Promise<void>>(({ input }) => input()),
    closeConnections: fromPromise<void>(() => Promise.resolve()),
    watchConnection: fromPromise<void>(() => Promise.reject(new Error('lost connection'))),
  },
  actions: {
    explode: () => {
      throw new Error('exploded');
    },
    explodeWith: (_, params: { value: unknown }) => {
      // Deliberately not an Error: the adapter must wrap it.
      throw params.value;
    },
  },
}).createMachine({
  id: 'worker',
  context: ({ input }) => ({ generation: input.generation, connect: input.connect ?? (() => Promise.resolve()) }),
  initial: 'connecting',
  states: {
    connecting: { invoke: { src: 'connect', input: ({ context }) => context.connect, onDone: 'ready' } },
    ready: {
      tags: ['ready'],
      on: {
        explode: { actions: 'explode' },
        explodeWith: { actions: { type: 'explodeWith', params: ({ event }) => ({ value: event.value }) } },
        lose: 'watching',
        finish: 'finished',
        'supervisor.shutdown': 'closing',
      },
    },
    watching: { invoke: { src: 'watchConnection' } },
    closing: { invoke: { src: 'closeConnections', onDone: 'closed' } },
    closed: { type: 'final' },
    finished: { type: 'final' },
  },
});

const logger = winston.createLogger({ silent: true });
export const context: ChildContext = {
  logger,
  lookup: () => {
    throw new Error('no siblings here');
  },
};

export function worker(input: WorkerInput = { generation: 1 }, shutdownMs = 1_000): ChildSpec {
  return actorChild({
    id: 'worker',
    logic: workerMachine,
    input: () => input,
    restart: 'permanent',
    shutdownMs,
    readyWhen: (snapshot) => snapshot.hasTag('ready'),
  });
}

export function refOf(running: Running): ActorRefFrom<typeof workerMachine> {
  return running.value as ActorRefFrom<typeof workerMachine>;
}
