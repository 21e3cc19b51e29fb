/**
 * The seam between rdd and the engine: every Docker call the mirrors make goes through
 * {@link EngineClient}, so unit tests drive sync and routing with a hand-written fake and e2e tests
 * use the real thing through {@link dockerEngineClient}. A 404 is a state, not an error: inspects
 * answer null, removes count it as done.
 */
import Docker from 'dockerode';
import type { ContainerInspectInfo, ImageInspectInfo, NetworkInspectInfo } from 'dockerode';
import type { ContainerAction } from '../../protocol/mirrors/container.schema.js';
import type { VolumeInspect } from '../mirrors/build-volume.js';
import { readEngineClock, subscribeEngineEvents, type EventHandlers } from './engine-events.js';

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
  containerAction(id: string, action: ContainerAction): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** Removes a tag (or a dangling image by ID); `force` also removes an image in use. */
  removeImage(reference: string, force: boolean): Promise<void>;
  removeVolume(name: string): Promise<void>;
  removeNetwork(id: string): Promise<void>;
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

/** The real engine, over its unix socket. */
export function dockerEngineClient(socket: string): EngineClient {
  // Every call is bounded, so an engine that stops answering fails a call instead of hanging an actor;
  // the event stream has its own client, since a quiet stream is not a dead one.
  const docker = new Docker({ socketPath: socket, timeout: engineCallTimeoutMs });
  const streaming = new Docker({ socketPath: socket });
  return {
    clock: () => readEngineClock(docker),
    events: (since, handlers) => subscribeEngineEvents(streaming, since, handlers),
    listContainerIds: async () => (await docker.listContainers({ all: true })).map((c) => c.Id),
    listImageIds: async () => (await docker.listImages({ all: false })).map((i) => i.Id),
    listVolumeNames: async () => ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name),
    listNetworkIds: async () => (await docker.listNetworks()).map((n) => n.Id),
    inspectContainer: (id) => nullIfMissing(docker.getContainer(id).inspect()),
    inspectImage: (reference) => nullIfMissing(docker.getImage(reference).inspect()),
    inspectVolume: (name) => nullIfMissing(docker.getVolume(name).inspect() as Promise<VolumeInspect>),
    inspectNetwork: (id) => nullIfMissing(docker.getNetwork(id).inspect()),
    containerAction: (id, action) => {
      const container = docker.getContainer(id);
      const calls: Record<ContainerAction, () => Promise<unknown>> = {
        start: () => container.start(),
        stop: () => container.stop(),
        pause: () => container.pause(),
        unpause: () => container.unpause(),
        restart: () => container.restart(),
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
  };
}
