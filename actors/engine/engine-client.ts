/**
 * The seam between rdd and the engine: every Docker call the mirrors make goes through
 * {@link EngineClient}, so unit tests drive sync and routing with a hand-written fake and e2e tests
 * use the real thing through {@link dockerEngineClient}. A 404 is a state, not an error: inspects
 * answer null, removes count it as done.
 */
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import type { ContainerInspectInfo, ImageInspectInfo, NetworkInspectInfo } from 'dockerode';
import type { ContainerAction } from '../../protocol/mirrors/container.schema.js';
import type { VolumeInspect } from '../mirrors/build-volume.js';
import { readEngineClock, subscribeEngineEvents, type EventHandlers, type RoutingFailures } from './engine-events.js';

export interface EngineClient {
  /** The engine's own clock in seconds; events are subscribed from it. */
  clock(): Promise<number>;
  /** Returns a synchronous cancel; `onEnd` reports a stream death once. */
  events(since: number, handlers: EventHandlers): () => void;
  listContainerIds(): Promise<string[]>;
  listImageIds(): Promise<string[]>;
  listVolumeNames(): Promise<string[]>;
  listNetworkIds(): Promise<string[]>;
  inspectContainer(id: string): Promise<ContainerInspectInfo | null>;
  /** `reference` is an ID or a name such as `busybox:latest` (a pull event names the reference). */
  inspectImage(reference: string): Promise<ImageInspectInfo | null>;
  inspectVolume(name: string): Promise<VolumeInspect | null>;
  inspectNetwork(id: string): Promise<NetworkInspectInfo | null>;
  /** `stopTimeSeconds`: a stop's or restart's grace period before the engine kills (docker stop -t). */
  containerAction(id: string, action: ContainerAction, stopTimeSeconds?: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** Removes a tag (or a dangling image by ID); `force` also removes an image in use. */
  removeImage(reference: string, force: boolean): Promise<void>;
  removeVolume(name: string): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  /**
   * A container's logs as the engine sends them (multiplexed unless the container has a TTY), always
   * as a stream, so even a whole log is read at the reader's pace instead of into memory.
   */
  logs(id: string, options: ContainerLogOptions): Promise<Readable>;
}

export interface ContainerLogOptions {
  follow: boolean;
  /** -1 for every line. */
  tail: number;
  /** Unix seconds; 0 for the beginning. */
  since: number;
  timestamps: boolean;
}

/** The longest an engine call may take: above a long container stop timeout, below "hung". */
export const engineCallTimeoutMs = 120_000;

/** The HTTP status of a dockerode error, if it carries one. */
export function engineStatusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own words for a failed call: its JSON `message`, else the error's. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  const reason = (error as { reason?: unknown } | null)?.reason;
  const message = error instanceof Error ? error.message : String(error);
  return typeof reason === 'string' && !message ? reason : message;
}

async function nullIfMissing<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (engineStatusCode(error) === 404) return null;
    throw error;
  }
}

async function doneIfMissing(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    // 304 is Docker's "already in that state" (start a running container, stop a stopped one).
    const code = engineStatusCode(error);
    if (code === 404 || code === 304) return;
    throw error;
  }
}

/**
 * When and how long the engine is pinged while connected, independent of its event stream: a hung
 * engine (SIGSTOP, a deadlock) keeps the stream open and just goes quiet.
 */
export interface PingTiming {
  intervalMs: number;
  /** How long one ping may take before it counts as unanswered. */
  timeoutMs: number;
  /** How long pings must keep failing before the engine is reported as not responding. */
  unresponsiveAfterMs: number;
}

/** Every 2 s, 3 s per ping, 5 s of failures: a silent engine is reported within about 10 s. */
export const defaultPingTiming: PingTiming = { intervalMs: 2_000, timeoutMs: 3_000, unresponsiveAfterMs: 5_000 };

/**
 * `RDD_ENGINE_PING_SECONDS`: the ping interval; the ping timeout and the threshold scale with it
 * (1.5× and 2.5×), so an engine that stops answering is reported within about five intervals.
 */
export function pingTimingFrom(env: NodeJS.ProcessEnv): PingTiming {
  const text = env.RDD_ENGINE_PING_SECONDS;
  if (text === undefined || text === '') return defaultPingTiming;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600) {
    throw new Error(`RDD_ENGINE_PING_SECONDS must be a number of seconds from 0.1 to 3600 (default 2), not "${text}"`);
  }
  const intervalMs = seconds * 1000;
  return { intervalMs, timeoutMs: intervalMs * 1.5, unresponsiveAfterMs: intervalMs * 2.5 };
}

/** One ping with its own bound: resolves when the engine answers, rejects with why it did not. */
export function pingEngine(socket: string, timeoutMs: number): Promise<void> {
  // The client's own timeout only closes the socket ("socket hang up"): the timer names what happened.
  const docker = new Docker({ socketPath: socket, timeout: timeoutMs + 1_000 });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to a ping within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  const ping = docker.ping().then(
    () => undefined,
    (error: unknown) => {
      throw new Error(`ping failed: ${engineMessage(error)}`, { cause: error });
    },
  );
  return Promise.race([ping, late]).finally(() => clearTimeout(timer));
}

/** The real engine, over its unix socket; exceptions while routing its events are counted in `failures`. */
export function dockerEngineClient(socket: string, failures: RoutingFailures): EngineClient {
  // Every call is bounded, so an engine that stops answering fails a call instead of hanging an actor;
  // the event stream has its own client, since a quiet stream is not a dead one.
  const docker = new Docker({ socketPath: socket, timeout: engineCallTimeoutMs });
  const streaming = new Docker({ socketPath: socket });
  return {
    clock: () => readEngineClock(docker),
    events: (since, handlers) => subscribeEngineEvents(streaming, since, handlers, failures),
    listContainerIds: async () => (await docker.listContainers({ all: true })).map((c) => c.Id),
    listImageIds: async () => (await docker.listImages({ all: false })).map((i) => i.Id),
    listVolumeNames: async () => ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name),
    listNetworkIds: async () => (await docker.listNetworks()).map((n) => n.Id),
    inspectContainer: (id) => nullIfMissing(docker.getContainer(id).inspect()),
    inspectImage: (reference) => nullIfMissing(docker.getImage(reference).inspect()),
    inspectVolume: (name) => nullIfMissing(docker.getVolume(name).inspect() as Promise<VolumeInspect>),
    inspectNetwork: (id) => nullIfMissing(docker.getNetwork(id).inspect()),
    containerAction: (id, action, stopTimeSeconds) => {
      const container = docker.getContainer(id);
      const grace = stopTimeSeconds === undefined ? {} : { t: stopTimeSeconds };
      const calls: Record<ContainerAction, () => Promise<unknown>> = {
        start: () => container.start(),
        stop: () => container.stop(grace),
        pause: () => container.pause(),
        unpause: () => container.unpause(),
        restart: () => container.restart(grace),
        kill: () => container.kill(),
      };
      // A 304 from start/stop means the container is already there; a 404 is not "done" for an action.
      return calls[action]().then(
        () => undefined,
        (error: unknown) => {
          if (engineStatusCode(error) === 304) return;
          throw new Error(engineMessage(error), { cause: error });
        },
      );
    },
    removeContainer: (id) => doneIfMissing(docker.getContainer(id).remove({ force: true, v: false })),
    removeImage: (reference, force) => doneIfMissing(docker.getImage(reference).remove({ force, noprune: false })),
    removeVolume: (name) => doneIfMissing(docker.getVolume(name).remove({ force: true })),
    removeNetwork: (id) => doneIfMissing(docker.getNetwork(id).remove()),
    logs: (id, options) => openLogStream(streaming, id, options),
  };
}

/** dockerode's `logs()` buffers the whole answer unless following; dialling ourselves keeps it a stream. */
function openLogStream(docker: Docker, id: string, options: ContainerLogOptions): Promise<Readable> {
  const query = {
    stdout: true,
    stderr: true,
    follow: options.follow,
    timestamps: options.timestamps,
    tail: options.tail < 0 ? 'all' : String(options.tail),
    ...(options.since > 0 ? { since: String(options.since) } : {}),
  };
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(id)}/logs?`,
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: query,
      },
      (error: unknown, stream: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error(engineMessage(error)));
        else resolve(stream as Readable);
      },
    );
  });
}
