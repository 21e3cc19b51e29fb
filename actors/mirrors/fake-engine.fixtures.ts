/**
 * A hand-written fake engine client for unit tests of sync and routing: objects in maps (seeded from
 * the inspect JSON captured from a real dockerd), a counter per call, injectable failures (a 503 on
 * one inspect), a hook that runs while a list is in progress (to change the engine mid-sync), and an
 * event stream the test drives.
 */
import type { Readable } from 'node:stream';
import type { ContainerInspectInfo, ImageInspectInfo, NetworkInspectInfo } from 'dockerode';
import type { ContainerAction } from '../../protocol/mirrors/container.schema.js';
import type { EngineClient } from '../engine/engine-client.js';
import type { EngineEvent, EventHandlers } from '../engine/engine-events.js';
import type { VolumeInspect } from './build-volume.js';
import { containerFixture, imageFixture, networkFixture, volumeFixture } from './mirrors.fixtures.js';

type Method = keyof EngineClient;
type ListMethod = Extract<Method, 'clock' | 'listContainerIds' | 'listImageIds' | 'listVolumeNames' | 'listNetworkIds'>;

/** An error shaped like dockerode's: the status code and the engine's JSON message. */
export function engineError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode, json: { message } });
}

export class FakeEngine implements EngineClient {
  readonly containers = new Map<string, ContainerInspectInfo>();
  readonly images = new Map<string, ImageInspectInfo>();
  readonly volumes = new Map<string, VolumeInspect>();
  readonly networks = new Map<string, NetworkInspectInfo>();
  readonly calls: { method: Method; key?: string }[] = [];
  private readonly failures: { method: Method; key: string | undefined; error: Error; times: number }[] = [];
  private handlers: EventHandlers | null = null;
  /** Runs inside listContainerIds, after the list was taken: the engine changes during the sync. */
  duringList: (() => void) | null = null;

  static withFixtures(): FakeEngine {
    const engine = new FakeEngine();
    for (const name of ['web', 'exited'] as const) engine.addContainer(containerFixture(name));
    engine.addImage(imageFixture('tagged'));
    engine.addVolume(volumeFixture('fxdata'));
    engine.addNetwork(networkFixture('fx'));
    return engine;
  }

  addContainer(inspect: ContainerInspectInfo): void {
    this.containers.set(inspect.Id, inspect);
  }
  addImage(inspect: ImageInspectInfo): void {
    this.images.set(inspect.Id, inspect);
  }
  addVolume(inspect: VolumeInspect): void {
    this.volumes.set(inspect.Name, inspect);
  }
  addNetwork(inspect: NetworkInspectInfo): void {
    this.networks.set(inspect.Id, inspect);
  }

  /** A copy of container `base` under another ID and name. */
  cloneContainer(base: ContainerInspectInfo, id: string, name: string): ContainerInspectInfo {
    const copy = structuredClone(base);
    copy.Id = id;
    copy.Name = `/${name}`;
    this.addContainer(copy);
    return copy;
  }

  /** The next `times` calls of `method` for `key` fail with `error`. */
  fail(method: Method, key: string, error: Error, times = 1): void {
    this.failures.push({ method, key, error, times });
  }

  /** The next `times` calls of `method`, a call that names no object (a list, the clock), fail with `error`. */
  failList(method: ListMethod, error: Error, times = 1): void {
    this.failures.push({ method, key: undefined, error, times });
  }

  emit(event: EngineEvent): void {
    this.handlers?.onEvent(event);
  }

  endStream(message: string): void {
    this.handlers?.onEnd(message);
  }

  count(method: Method, key?: string): number {
    return this.calls.filter((call) => call.method === method && (key === undefined || call.key === key)).length;
  }

  clock(): Promise<number> {
    return this.call('clock', undefined, () => 1_700_000_000);
  }

  events(_since: number, handlers: EventHandlers): () => void {
    this.calls.push({ method: 'events' });
    this.handlers = handlers;
    return () => {
      if (this.handlers === handlers) this.handlers = null;
    };
  }

  listContainerIds(): Promise<string[]> {
    return this.call('listContainerIds', undefined, () => {
      const ids = [...this.containers.keys()];
      const hook = this.duringList;
      this.duringList = null;
      hook?.();
      return ids;
    });
  }
  listImageIds(): Promise<string[]> {
    return this.call('listImageIds', undefined, () => [...this.images.keys()]);
  }
  listVolumeNames(): Promise<string[]> {
    return this.call('listVolumeNames', undefined, () => [...this.volumes.keys()]);
  }
  listNetworkIds(): Promise<string[]> {
    return this.call('listNetworkIds', undefined, () => [...this.networks.keys()]);
  }
  inspectContainer(id: string): Promise<ContainerInspectInfo | null> {
    return this.call('inspectContainer', id, () => copyOrNull(this.containers.get(id)));
  }
  inspectImage(reference: string): Promise<ImageInspectInfo | null> {
    return this.call('inspectImage', reference, () => {
      const found =
        this.images.get(reference) ?? [...this.images.values()].find((image) => image.RepoTags?.includes(reference));
      return copyOrNull(found);
    });
  }
  inspectVolume(name: string): Promise<VolumeInspect | null> {
    return this.call('inspectVolume', name, () => copyOrNull(this.volumes.get(name)));
  }
  inspectNetwork(id: string): Promise<NetworkInspectInfo | null> {
    return this.call('inspectNetwork', id, () => copyOrNull(this.networks.get(id)));
  }
  containerAction(id: string, action: ContainerAction): Promise<void> {
    return this.call('containerAction', `${id}:${action}`, () => {
      const container = this.containers.get(id);
      if (!container) throw engineError(404, `No such container: ${id}`);
      const status = {
        start: 'running',
        stop: 'exited',
        kill: 'exited',
        pause: 'paused',
        unpause: 'running',
        restart: 'running',
      }[action];
      container.State = {
        ...container.State,
        Status: status,
        Running: status === 'running',
        Paused: status === 'paused',
      };
    });
  }
  removeContainer(id: string): Promise<void> {
    return this.call('removeContainer', id, () => void this.containers.delete(id));
  }
  removeImage(reference: string, force: boolean): Promise<void> {
    return this.call('removeImage', reference, () => {
      const image =
        this.images.get(reference) ?? [...this.images.values()].find((i) => i.RepoTags?.includes(reference));
      if (!image) return;
      const user = [...this.containers.values()].find((container) => container.Image === image.Id);
      if (user && !force) {
        throw engineError(
          409,
          `conflict: unable to remove repository reference "${reference}" (must force) - container ${user.Id.slice(0, 12)} is using its referenced image ${image.Id.slice(7, 19)}`,
        );
      }
      const tags = (image.RepoTags ?? []).filter((tag) => tag !== reference);
      if (reference === image.Id || tags.length === 0) this.images.delete(image.Id);
      else image.RepoTags = tags;
    });
  }
  removeVolume(name: string): Promise<void> {
    return this.call('removeVolume', name, () => {
      // dockerd keeps a volume any container mounts, running or not, even when forced.
      const users = [...this.containers.values()].filter((container) =>
        (container.Mounts ?? []).some((mount) => mount.Type === 'volume' && mount.Name === name),
      );
      if (users.length > 0) {
        throw engineError(409, `remove ${name}: volume is in use - [${users.map((user) => user.Id).join(', ')}]`);
      }
      this.volumes.delete(name);
    });
  }
  removeNetwork(id: string): Promise<void> {
    return this.call('removeNetwork', id, () => {
      const network = this.networks.get(id);
      if (network && Object.keys(network.Containers ?? {}).length > 0) {
        throw engineError(
          403,
          `error while removing network: network ${network.Name} id ${network.Id} has active endpoints`,
        );
      }
      this.networks.delete(id);
    });
  }

  /** The log stream each container's `logs` call answers with; a container without one is a 404. */
  readonly logStreams = new Map<string, () => Readable>();

  logs(id: string): Promise<Readable> {
    return this.call('logs', id, () => {
      const open = this.logStreams.get(id);
      if (!open) throw engineError(404, `No such container: ${id}`);
      return open();
    });
  }

  private call<T>(method: Method, key: string | undefined, answer: () => T): Promise<T> {
    this.calls.push(key === undefined ? { method } : { method, key });
    const failure = this.failures.find((f) => f.method === method && f.key === key && f.times > 0);
    if (failure) {
      failure.times -= 1;
      return Promise.reject(failure.error);
    }
    try {
      return Promise.resolve(answer());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function copyOrNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : structuredClone(value);
}
