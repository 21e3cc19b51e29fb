/** Fakes for the engine-connection machine tests: a controllable connect and a stream the test can end. */
import { createActor, fromCallback, fromPromise, waitFor, type EventObject } from 'xstate';
import type { EngineDesired, EngineReport } from '../protocol/vm-engine.schema.js';
import {
  engineConnectionMachine,
  type ConnectInput,
  type ConnectOutput,
  type StreamEventsInput,
} from './engine-connection.machine.js';

export type EngineState = 'waitingForDesired' | 'idle' | 'connecting' | 'connected' | 'backoff';

export interface PendingConnect {
  input: ConnectInput;
  signal: AbortSignal;
  resolve: (output: ConnectOutput) => void;
  reject: (error: Error) => void;
}
export interface Stream {
  input: StreamEventsInput;
  end: (message: string) => void;
  cleanedUp: boolean;
}

export const SOCKET = '/run/rdd/docker.sock';
export const LONG = 60_000;

export function desired(generation: number, wanted: boolean, overrides: Partial<EngineDesired> = {}): EngineDesired {
  return { generation, wanted, engine: 'moby', socket: SOCKET, mirrorImages: true, ...overrides };
}

const actors: { stop(): void }[] = [];

/** Stops every machine `startEngine` created (call it in afterEach: delayed transitions hold timers). */
export function stopEngines(): void {
  actors.splice(0).forEach((actor) => actor.stop());
}

export function startEngine(delays: { reconnectDelay?: number; quietPeriod?: number } = {}) {
  const connects: PendingConnect[] = [];
  const streams: Stream[] = [];
  const reports: EngineReport[] = [];
  const machine = engineConnectionMachine.provide({
    actors: {
      connect: fromPromise<ConnectOutput, ConnectInput>(
        ({ input, signal }) => new Promise((resolve, reject) => connects.push({ input, signal, resolve, reject })),
      ),
      streamEvents: fromCallback<EventObject, StreamEventsInput>(({ input, sendBack }) => {
        const stream: Stream = {
          input,
          end: (message) => sendBack({ type: 'STREAM_ENDED', message }),
          cleanedUp: false,
        };
        streams.push(stream);
        return () => {
          stream.cleanedUp = true;
        };
      }),
    },
    actions: { report: (_, report) => void reports.push(report) },
    delays: { reconnectDelay: delays.reconnectDelay ?? LONG, quietPeriod: delays.quietPeriod ?? LONG },
  });
  const actor = createActor(machine).start();
  actors.push(actor);
  const send = (value: EngineDesired) => actor.send({ type: 'DESIRED', desired: value });
  const state = () => actor.getSnapshot().value;
  const reach = (value: EngineState) => waitFor(actor, (snapshot) => snapshot.matches(value));
  return { actor, connects, streams, reports, send, state, reach, last: () => reports.at(-1) };
}

export type Engine = ReturnType<typeof startEngine>;

export const arrive: Record<EngineState, (engine: Engine) => Promise<unknown>> = {
  waitingForDesired: () => Promise.resolve(),
  idle: async (engine) => {
    engine.send(desired(1, false));
    await engine.reach('idle');
  },
  connecting: async (engine) => {
    engine.send(desired(1, true));
    await engine.reach('connecting');
  },
  connected: async (engine) => {
    engine.send(desired(1, true));
    engine.connects[0]!.resolve({ clock: 1000 });
    await engine.reach('connected');
  },
  backoff: async (engine) => {
    engine.send(desired(1, true));
    engine.connects[0]!.reject(new Error('connect ENOENT'));
    await engine.reach('backoff');
  },
};
