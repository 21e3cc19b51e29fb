/** Fakes for the engine-connection machine tests: a controllable connect and a stream the test can end. */
import { createActor, fromCallback, fromPromise, waitFor, type EventObject } from 'xstate';
import type { EngineDesired, EngineReport } from '../protocol/vm-engine.schema.js';
import {
  engineConnectionMachine,
  type ConnectInput,
  type ConnectOutput,
  type PingEngineInput,
  type StreamEventsInput,
} from './engine-connection.machine.js';

export type EngineState = 'waitingForDesired' | 'sweeping' | 'idle' | 'connecting' | 'connected' | 'backoff';

export interface PendingConnect {
  input: ConnectInput;
  signal: AbortSignal;
  resolve: (output: ConnectOutput) => void;
  reject: (error: Error) => void;
}
export interface Stream {
  input: StreamEventsInput;
  end: (message: string) => void;
  /** The first sync of this connection finished. */
  synced: () => void;
  cleanedUp: boolean;
}
/** The liveness pings of one connection, as the machine hears them. */
export interface Pinger {
  input: PingEngineInput;
  unanswered: (message: string, lastAnsweredAt: string) => void;
  answered: () => void;
  cleanedUp: boolean;
}

export const SOCKET = '/run/rdd/docker.sock';
export const LONG = 60_000;

export function desired(generation: number, wanted: boolean, overrides: Partial<EngineDesired> = {}): EngineDesired {
  return { generation, wanted, engine: 'moby', socket: SOCKET, mirrorImages: true, retainMirrors: false, ...overrides };
}

const actors: { stop(): void }[] = [];

/** Stops every machine `startEngine` created (call it in afterEach: delayed transitions hold timers). */
export function stopEngines(): void {
  actors.splice(0).forEach((actor) => actor.stop());
}

export function startEngine(
  delays: { reconnectDelay?: number; quietPeriod?: number; unresponsiveAfter?: number } = {},
  { holdSweeps = false } = {},
) {
  const connects: PendingConnect[] = [];
  /** Sweeps still running when `holdSweeps` is set; each finishes when the test calls its function. */
  const sweeps: (() => void)[] = [];
  let sweepCount = 0;
  const streams: Stream[] = [];
  const pingers: Pinger[] = [];
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
          synced: () => sendBack({ type: 'SYNCED' }),
          cleanedUp: false,
        };
        streams.push(stream);
        return () => {
          stream.cleanedUp = true;
        };
      }),
      pingEngine: fromCallback<EventObject, PingEngineInput>(({ input, sendBack }) => {
        const pinger: Pinger = {
          input,
          unanswered: (message, lastAnsweredAt) => sendBack({ type: 'ENGINE_UNANSWERED', message, lastAnsweredAt }),
          answered: () => sendBack({ type: 'ENGINE_ANSWERED' }),
          cleanedUp: false,
        };
        pingers.push(pinger);
        return () => {
          pinger.cleanedUp = true;
        };
      }),
      sweepMirrors: fromPromise<void>(() => {
        sweepCount += 1;
        return holdSweeps ? new Promise<void>((resolve) => sweeps.push(resolve)) : Promise.resolve();
      }),
    },
    actions: { report: (_, report) => void reports.push(report) },
    delays: {
      reconnectDelay: delays.reconnectDelay ?? LONG,
      quietPeriod: delays.quietPeriod ?? LONG,
      unresponsiveAfter: delays.unresponsiveAfter ?? LONG,
    },
  });
  const actor = createActor(machine).start();
  actors.push(actor);
  const send = (value: EngineDesired) => actor.send({ type: 'DESIRED', desired: value });
  // The top-level state: `connected` whichever of syncing and watching it is in.
  const state = () => {
    const value = actor.getSnapshot().value;
    return typeof value === 'string' ? value : Object.keys(value)[0];
  };
  const reach = (value: EngineState) => waitFor(actor, (snapshot) => snapshot.matches(value));
  const sweepsStarted = () => sweepCount;
  return {
    actor,
    connects,
    streams,
    pingers,
    sweeps,
    sweepsStarted,
    reports,
    send,
    state,
    reach,
    last: () => reports.at(-1),
  };
}

export type Engine = ReturnType<typeof startEngine>;

export const arrive: Record<EngineState, (engine: Engine) => Promise<unknown>> = {
  waitingForDesired: () => Promise.resolve(),
  sweeping: (engine) => {
    engine.send(desired(1, false));
    return engine.reach('sweeping');
  },
  idle: async (engine) => {
    engine.send(desired(1, false));
    await waitFor(engine.actor, (snapshot) => snapshot.matches('sweeping') || snapshot.matches('idle'));
    engine.sweeps.splice(0).forEach((finish) => finish());
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
    engine.streams[0]!.synced();
    await waitFor(engine.actor, (snapshot) => snapshot.matches({ connected: { sync: 'watching' } }));
  },
  backoff: async (engine) => {
    engine.send(desired(1, true));
    engine.connects[0]!.reject(new Error('connect ENOENT'));
    await engine.reach('backoff');
  },
};
