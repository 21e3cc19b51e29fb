/**
 * The engine-connection actor: runs `machines/engine-connection.machine.ts` against the engine socket
 * the VM reported, with dockerode. A stream error or a clean end is a death the machine turns into a
 * reconnect with backoff; it answers every desired generation on `rdd.<instance>.engine.status`.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import Docker from 'dockerode';
import { fromCallback, fromPromise } from 'xstate';
import type { Logger } from 'winston';
import { actorSubject } from '../../protocol/subjects.js';
import { engineDesiredSchema } from '../../protocol/vm-engine.schema.js';
import { engineConnectionMachine } from '../../machines/engine-connection.machine.js';
import { runMachine } from '../machine-run.js';
import { listenForDesired } from '../bus/subscribe-parsed.js';
import type { ChildSpec } from '../supervision/types.js';
import { readEngineClock, subscribeEngineEvents } from './engine-events.js';

export interface EngineActorOptions {
  instance: string;
  nc: NatsConnection;
}

export function engineActorChild(options: EngineActorOptions): ChildSpec<null> {
  return {
    id: 'engine',
    restart: 'permanent',
    shutdownMs: 0,
    start: ({ logger }) => Promise.resolve(startEngineActor(options, logger)),
  };
}

function startEngineActor({ instance, nc }: EngineActorOptions, logger: Logger) {
  const { actor, exited } = runMachine(
    engineConnectionMachine.provide({
      actors: {
        connect: fromPromise(async ({ input }: { input: { socket: string } }) => {
          const docker = new Docker({ socketPath: input.socket });
          logger.info(`Connecting to the engine at ${input.socket}…`);
          await docker.ping();
          const clock = await readEngineClock(docker);
          logger.info(`Connected to the engine at ${input.socket}`);
          return { clock };
        }),
        streamEvents: fromCallback(
          ({
            input,
            sendBack,
          }: {
            input: { socket: string; since: number };
            sendBack: (event: { type: 'STREAM_ENDED'; message: string }) => void;
          }) => {
            const docker = new Docker({ socketPath: input.socket });
            return subscribeEngineEvents(docker, input.since, {
              onEvent: (event) => logger.debug(`engine event ${event.Type} ${event.Action} ${event.Actor?.ID ?? ''}`),
              onEnd: (message) => sendBack({ type: 'STREAM_ENDED', message }),
            });
          },
        ),
      },
      actions: {
        report: (_, report) => nc.publish(actorSubject(instance, 'engine', 'status'), JSON.stringify(report)),
      },
    }),
    logger,
    'engine',
  );
  const subscription: Subscription = listenForDesired(nc, instance, 'engine', engineDesiredSchema, logger, (desired) =>
    actor.send({ type: 'DESIRED', desired }),
  );
  const halt = (): void => {
    subscription.unsubscribe();
    actor.stop();
  };
  return {
    value: null,
    exited,
    stop: () => {
      halt();
      return Promise.resolve();
    },
    kill: halt,
  };
}
