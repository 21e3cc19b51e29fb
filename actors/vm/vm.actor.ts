/**
 * The VM actor: runs `machines/vm.machine.ts` with the driver the App chose, answering every desired
 * generation on `rdd.<instance>.vm.status`.
 *
 * The engine outlives this actor. Only a `shutdown` stop (`rdd svc stop`, a signal) stops the engine
 * it started (the external driver only detaches); a `restart` stop (this actor's crash, a sibling's
 * under rest_for_one, an escalation, a daemon that gives up) detaches, and the successor's start adopts
 * the running engine, as the next daemon does after a `kill -9` of this one. `rdd stop`, `running=false`
 * and a driver change stop it through the machine, not through this actor's lifetime.
 *
 * The docker context `rdd-<instance>` (docker-context.ts) follows the engine, not this actor: written
 * when a moby engine starts or is adopted, removed only when the engine is really stopped, and left in
 * place on a detach, since the engine goes on running.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { fromCallback, fromPromise } from 'xstate';
import type { Logger } from 'winston';
import { defaultSocket } from '../../protocol/app.admission.js';
import { describeError } from '../../protocol/errors.js';
import type { InstancePaths } from '../../protocol/instance.js';
import { actorSubject } from '../../protocol/subjects.js';
import { vmDesiredSchema, type VmDesired } from '../../protocol/vm-engine.schema.js';
import { vmMachine } from '../../machines/vm.machine.js';
import { startNeedsUser } from '../../machines/vm-start-failure.js';
import { engineHostName } from '../../machines/vm-context.js';
import { runMachine } from '../machine-run.js';
import type { AttachInspection } from '../inspection/inspection.js';
import { publishJson } from '../trace.js';
import { listenForDesired } from '../bus/subscribe-parsed.js';
import type { ChildSpec, Running } from '../supervision/types.js';
import type { EngineHandle, VmConfig, VmDriver } from './driver.js';
import { driverFor } from './driver-registry.js';
import { dockerConfigDir, dockerContextName, publishDockerContext, removeDockerContext } from './docker-context.js';

export interface VmActorOptions {
  instance: string;
  paths: InstancePaths;
  env: NodeJS.ProcessEnv;
  nc: NatsConnection;
  /** Registers the VM machine with the daemon's inspection (inspection.child.ts). */
  attachInspection: AttachInspection;
}

export function vmActorChild(options: VmActorOptions): ChildSpec<null> {
  return {
    id: 'vm',
    restart: 'permanent',
    shutdownMs: 60_000,
    start: ({ logger }) => Promise.resolve(startVmActor(options, logger)),
  };
}

function startVmActor({ instance, paths, env, nc, attachInspection }: VmActorOptions, logger: Logger): Running<null> {
  const configFor = (desired: VmDesired): VmConfig => ({
    instance,
    paths,
    engine: desired.engine,
    kubernetes: desired.kubernetes,
    // Empty unless the user set it: the external driver then attaches where the docker CLI's default does.
    socket: desired.socket || defaultSocket(env),
    ...(desired.cpus === undefined ? {} : { cpus: desired.cpus }),
    ...(desired.memoryGiB === undefined ? {} : { memoryGiB: desired.memoryGiB }),
    env,
    logger,
  });
  // The engine this actor started, so a graceful stop can stop it and the watcher can follow it.
  let running: { driver: VmDriver; config: VmConfig; handle: EngineHandle } | null = null;
  // The docker context is a convenience: failing to write or remove it never fails the engine.
  const contextEnvironment = { configDir: dockerConfigDir(env), env, logger };
  let publishedContext: string | null = null;
  const publishContext = async (socket: string): Promise<void> => {
    try {
      await publishDockerContext(contextEnvironment, instance, socket);
      publishedContext = dockerContextName(instance);
    } catch (error) {
      logger.warn(`failed to write the docker context ${dockerContextName(instance)}: ${describeError(error)}`);
    }
  };
  const removeContext = async (): Promise<void> => {
    publishedContext = null;
    await removeDockerContext(contextEnvironment, instance).catch((error: unknown) => {
      logger.warn(`failed to remove the docker context ${dockerContextName(instance)}: ${describeError(error)}`);
    });
  };

  // Said at warn once per reason: a retry loop with the same cause must not flood the log, nor hide it.
  let lastStartFailure: string | null = null;
  const warnStartFailure = (driverName: string, error: unknown): void => {
    const reason = describeError(error);
    if (reason === lastStartFailure) return;
    lastStartFailure = reason;
    const next = startNeedsUser(error)
      ? 'not retrying until it is fixed and rdd start or rdd set asks again'
      : 'retrying with backoff';
    logger.warn(`${engineHostName(driverName)} could not start: ${reason} (${next})`);
  };

  const machine = runMachine(
    vmMachine.provide({
      actors: {
        startEngine: fromPromise(async ({ input, signal }: { input: { desired: VmDesired }; signal: AbortSignal }) => {
          const driver = driverFor(input.desired.driver);
          const config = configFor(input.desired);
          logger.info(`Starting ${engineHostName(driver.name)}…`);
          const handle = await driver.start(config, signal).catch((error: unknown) => {
            if (!signal.aborted) warnStartFailure(driver.name, error);
            throw error;
          });
          lastStartFailure = null;
          running = { driver, config, handle };
          if (config.engine === 'moby') await publishContext(handle.socket);
          logger.info(
            `Started the ${driver.name} VM${handle.adopted ? ' (adopted a running one)' : ''}; engine at ${handle.socket}`,
          );
          return {
            socket: handle.socket,
            adopted: handle.adopted,
            fingerprint: driver.fingerprint(config),
            ...(handle.pid === undefined ? {} : { pid: handle.pid }),
          };
        }),
        stopEngine: fromPromise(async ({ input }: { input: { desired: VmDesired } }) => {
          const driver = running?.driver ?? driverFor(input.desired.driver);
          const config = running?.config ?? configFor(input.desired);
          logger.info(`Stopping ${engineHostName(driver.name)}…`);
          await driver.stop(config);
          running = null;
          await removeContext();
          logger.info(`Stopped the ${driver.name} VM`);
        }),
        watchEngine: fromCallback(({ sendBack }) => {
          const watched = running?.handle;
          let active = true;
          void watched?.died.then((error) => {
            if (active) sendBack({ type: 'ENGINE_DIED', message: error.message });
          });
          return () => {
            active = false;
          };
        }),
      },
      actions: {
        report: (_, report) =>
          publishJson(nc, actorSubject(instance, 'vm', 'status'), {
            ...report,
            ...(publishedContext === null ? {} : { dockerContext: publishedContext }),
          }),
      },
    }),
    logger,
    'vm',
    attachInspection,
  );

  const subscription: Subscription = listenForDesired(nc, instance, 'vm', vmDesiredSchema, logger, (desired) =>
    machine.actor.send({
      type: 'DESIRED',
      desired,
      fingerprint: driverFor(desired.driver).fingerprint(configFor(desired)),
    }),
  );

  const stopEngine = async (): Promise<void> => {
    const current = running;
    running = null;
    if (!current) return;
    await current.driver.stop(current.config);
    await removeContext();
  };
  const detachEngine = (): void => {
    const current = running;
    running = null;
    current?.driver.detach(current.config);
  };
  return {
    value: null,
    exited: machine.exited,
    stop: async (reason) => {
      subscription.unsubscribe();
      await machine.stop();
      if (reason === 'restart') {
        detachEngine();
        return;
      }
      await stopEngine().catch((error: unknown) => logger.error(`failed to stop the VM: ${describeError(error)}`));
    },
    kill: () => {
      subscription.unsubscribe();
      machine.kill();
      detachEngine();
    },
  };
}
