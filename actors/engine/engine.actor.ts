/**
 * The engine-connection actor: runs `machines/engine-connection.machine.ts` against the engine socket
 * the VM reported, with dockerode, and owns the mirrors supervisor (one actor per engine object). Each
 * connection runs a mirror session (subscribe from the engine clock, sync, route events) and a log
 * server, which the API reaches in-process through {@link EngineActorApi.logs}; a stream
 * error, a clean end or a failed first sync is a death the machine turns into a reconnect with backoff,
 * keeping the mirrors. While connected it also pings the engine on its own timer, since a hung engine
 * keeps its stream open and silent; the machine decides when that silence is NotResponding. It answers
 * every desired generation on `rdd.<instance>.engine.status`.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import Docker from 'dockerode';
import { fromCallback, fromPromise } from 'xstate';
import type { Logger } from 'winston';
import { ApiError, describeError } from '../../protocol/errors.js';
import { mirrorNamespace } from '../../protocol/mirrors/mirror.schema.js';
import type { ResourceStore } from '../../client/store.js';
import { actorSubject, engineDriftSubject } from '../../protocol/subjects.js';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import { engineDesiredSchema, type EngineDesired } from '../../protocol/vm-engine.schema.js';
import { engineConnectionMachine } from '../../machines/engine-connection.machine.js';
import { runMachine } from '../machine-run.js';
import type { AttachInspection } from '../inspection/inspection.js';
import { currentTrace, publishJson, withTrace } from '../trace.js';
import { listenForDesired } from '../bus/subscribe-parsed.js';
import { MirrorSupervisor } from '../mirrors/mirror-supervisor.js';
import { sweepMirrors } from '../mirrors/sync.js';
import type { ChildSpec, Exit } from '../supervision/types.js';
import {
  dockerEngineClient,
  engineCallTimeoutMs,
  pingEngine,
  pingTimingFrom,
  type EngineClient,
  type PingTiming,
} from './engine-client.js';
import { readEngineClock, RoutingFailures } from './engine-events.js';
import { startLogServer, type LogServer } from './container-logs.js';
import { startMirrorSession, type MirrorSession } from './mirror-session.js';

export interface EngineActorOptions {
  instance: string;
  nc: NatsConnection;
  store: ResourceStore;
  /** Publishes the mirrors supervisor's crashes and restarts with the rest of the tree's telemetry. */
  report: (event: SupervisionEvent) => void;
  /** How often a connected engine is synced again to catch missed events; 0 turns it off. */
  resyncMs: number;
  /** The engine client for a socket, counting routing exceptions in `failures`; tests may wrap the real one. */
  engineFor?: (socket: string, failures: RoutingFailures) => EngineClient;
  /** How the engine is pinged; from `RDD_ENGINE_PING_SECONDS` when not given. */
  pingTiming?: PingTiming;
  /** Registers the engine machine and the mirror actors with the daemon's inspection. */
  attachInspection: AttachInspection;
}

/** What the engine actor offers the rest of the daemon (its child value). */
export interface EngineActorApi {
  /** One actor per engine object; it lives as long as the engine actor, across connections. */
  readonly mirrors: MirrorSupervisor;
  /** The open connection's log server; throws Unavailable while no engine connection is open. */
  logs(): Pick<LogServer, 'open'>;
  /** Log streams open now (streams end with their connection). */
  readonly openLogStreams: number;
  /** Exceptions thrown while routing engine events, across connections and restarts of this actor. */
  readonly eventRoutingFailures: number;
}

export const defaultResyncMs = 5 * 60_000;
/** How long a desired state or a sweep waits for a sync in progress. */
const desiredWaitMs = 30_000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function engineActorChild(options: EngineActorOptions): ChildSpec<EngineActorApi> {
  // Kept by the child spec, not by one start: a restart of the actor does not reset what svc status shows.
  const routingFailures = new RoutingFailures();
  return {
    id: 'engine',
    restart: 'permanent',
    shutdownMs: 5_000,
    start: ({ logger }) => Promise.resolve(startEngineActor(options, routingFailures, logger)),
  };
}

function startEngineActor(options: EngineActorOptions, routingFailures: RoutingFailures, logger: Logger) {
  const { instance, nc, store } = options;
  const engineFor = options.engineFor ?? dockerEngineClient;
  const pingTiming = options.pingTiming ?? pingTimingFrom(process.env);
  routingFailures.useLogger(logger);
  let escalation: ((exit: Exit) => void) | undefined;
  const escalated = new Promise<Exit>((resolve) => (escalation = resolve));
  const supervisor = new MirrorSupervisor({
    instance,
    nc,
    store,
    namespace: mirrorNamespace,
    logger: logger.child({ actor: 'mirrors' }),
    report: options.report,
    escalate: (error) => escalation?.({ kind: 'crash', error }),
    attachInspection: options.attachInspection,
  });
  supervisor.start();
  let session: MirrorSession | null = null;
  /** Resolves once the last session's sync has stopped, so a sweep never races it. */
  let sessionDone: Promise<void> = Promise.resolve();
  let connections = 0;
  /** The open connection's log server, the one the API opens streams on. */
  let logServer: LogServer | null = null;

  const { actor, exited } = runMachine(
    engineConnectionMachine.provide({
      actors: {
        connect: fromPromise(async ({ input }: { input: { socket: string } }) => {
          // Bounded: an engine that hangs while rdd connects is a failed connect, retried with backoff.
          const docker = new Docker({ socketPath: input.socket, timeout: engineCallTimeoutMs });
          logger.info(`Connecting to the engine at ${input.socket}…`);
          await pingEngine(input.socket, pingTiming.timeoutMs);
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
            sendBack: (event: { type: 'STREAM_ENDED'; message: string } | { type: 'SYNCED' }) => void;
          }) => {
            connections += 1;
            const engine = engineFor(input.socket, routingFailures);
            const currentLogs = startLogServer({ nc, instance, engine, logger });
            logServer = currentLogs;
            const current = startMirrorSession({
              engine,
              supervisor,
              store,
              namespace: mirrorNamespace,
              logger,
              since: input.since,
              trigger: connections === 1 ? 'connect' : 'reconnect',
              resyncMs: options.resyncMs,
              onReport: (report) => nc.publish(engineDriftSubject(instance), JSON.stringify(report)),
              onSynced: () => sendBack({ type: 'SYNCED' }),
              onEnd: (message) => sendBack({ type: 'STREAM_ENDED', message }),
            });
            session = current;
            return () => {
              if (session === current) session = null;
              if (logServer === currentLogs) logServer = null;
              // The session stops even if the log server throws while ending its streams.
              try {
                currentLogs.stop('engine-gone');
              } finally {
                sessionDone = current.cancel();
              }
            };
          },
        ),
        pingEngine: fromCallback(
          ({
            input,
            sendBack,
          }: {
            input: { socket: string };
            sendBack: (
              event:
                { type: 'ENGINE_UNANSWERED'; message: string; lastAnsweredAt: string } | { type: 'ENGINE_ANSWERED' },
            ) => void;
          }) => pingPeriodically(input.socket, pingTiming, logger, sendBack),
        ),
        sweepMirrors: fromPromise(async () => {
          // A sync stuck on a hung engine is left behind after a while: the sweep must end.
          await withTimeout(sessionDone, desiredWaitMs, 'the last sync').catch((error: unknown) =>
            logger.warn(`sweeping anyway: ${describeError(error)}`),
          );
          const removed = await sweepMirrors(supervisor, store);
          if (removed > 0) logger.info(`Removed ${removed} mirrors: the engine is no longer mirrored`);
        }),
      },
      actions: {
        report: (_, report) => publishJson(nc, actorSubject(instance, 'engine', 'status'), report),
      },
      delays: { unresponsiveAfter: pingTiming.unresponsiveAfterMs },
    }),
    logger,
    'engine',
    options.attachInspection,
  );
  // In arrival order: a desired that waits for an image sync must not be overtaken by a later one.
  let delivery: Promise<void> = Promise.resolve();
  const onDesired = (desired: EngineDesired): void => {
    // Delivered later, in order: the request id travels with it explicitly.
    const trace = currentTrace();
    delivery = delivery.then(async () => {
      if (desired.mirrorImages !== supervisor.images) {
        supervisor.setImagesEnabled(desired.mirrorImages);
        // No reconnect: a live session syncs images in (or out) before the generation is answered, so
        // a settled App means the image mirrors already match; otherwise the next sync does it.
        // Bounded: a hung engine must not hold back the desired states behind this one (a stop).
        const resync = session?.resync('mirrorImages');
        if (resync) {
          await withTimeout(resync, desiredWaitMs, 'the image sync').catch((error: unknown) =>
            logger.warn(`image mirroring change failed: ${describeError(error)}`),
          );
        }
      }
      withTrace(trace, () => actor.send({ type: 'DESIRED', desired }));
    });
  };
  const subscription: Subscription = listenForDesired(nc, instance, 'engine', engineDesiredSchema, logger, onDesired);
  const halt = (): void => {
    subscription.unsubscribe();
    actor.stop();
    supervisor.stop();
  };
  const value: EngineActorApi = {
    mirrors: supervisor,
    logs: () => {
      if (!logServer) throw new ApiError('Unavailable', 'the engine actor has no engine connection open');
      return logServer;
    },
    get openLogStreams() {
      return logServer?.openStreams ?? 0;
    },
    get eventRoutingFailures() {
      return routingFailures.count;
    },
  };
  return {
    value,
    exited: Promise.race([exited, escalated]).then((exit) => {
      halt();
      return exit;
    }),
    stop: () => {
      halt();
      return sessionDone;
    },
    kill: halt,
  };
}

type PingEvent = { type: 'ENGINE_UNANSWERED'; message: string; lastAnsweredAt: string } | { type: 'ENGINE_ANSWERED' };

/**
 * Pings one ping at a time, `intervalMs` after the previous one settled, so a hung engine never piles
 * up pending pings. Every failure is told; an answer only when it ends failures. Returns the cleanup.
 */
function pingPeriodically(
  socket: string,
  timing: PingTiming,
  logger: Logger,
  sendBack: (event: PingEvent) => void,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastAnsweredAt = new Date().toISOString();
  let failing = false;
  const schedule = (): void => {
    timer = setTimeout(() => void pingOnce(), timing.intervalMs);
  };
  const pingOnce = async (): Promise<void> => {
    try {
      await pingEngine(socket, timing.timeoutMs);
      if (stopped) return;
      lastAnsweredAt = new Date().toISOString();
      if (failing) {
        failing = false;
        logger.info(`The engine at ${socket} answers again`);
        sendBack({ type: 'ENGINE_ANSWERED' });
      }
    } catch (error) {
      if (stopped) return;
      const message = describeError(error);
      if (!failing) logger.warn(`The engine at ${socket} did not answer: ${message}`);
      failing = true;
      sendBack({ type: 'ENGINE_UNANSWERED', message, lastAnsweredAt });
    }
    if (!stopped) schedule();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
