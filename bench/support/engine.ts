/**
 * The engine side of the benchmarks, straight on the instance's docker socket with dockerode: making and
 * removing the benchmark's containers, and a plain `docker events` subscriber (the baseline the mirrors
 * are compared with).
 */
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import { busyboxImage } from '../../e2e/drivers/busybox-image.js';
import { mapLimited } from './stats.js';

/** Every container the benchmarks make carries it, so they can be found and removed. */
export const benchLabel = 'io.rdd.bench';

/** `sleep 3600` under an init, so a stop or kill does not wait out busybox ignoring SIGTERM. */
export function createSleepers(docker: Docker, names: readonly string[], parallelism = 8): Promise<string[]> {
  return mapLimited(names, parallelism, async (name) => {
    const container = await docker.createContainer({
      name,
      Image: busyboxImage,
      Cmd: ['sleep', '3600'],
      Labels: { [benchLabel]: 'true' },
      HostConfig: { Init: true },
    });
    return container.id;
  });
}

/** Removes (forcibly) every container carrying {@link benchLabel}; resolves to how many. */
export async function removeBenchContainers(docker: Docker, parallelism = 8): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${benchLabel}=true`] } });
  await mapLimited(containers, parallelism, async ({ Id }) => {
    await docker
      .getContainer(Id)
      .remove({ force: true })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
  });
  return containers.length;
}

export interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string };
}

/**
 * `docker events` for containers, as any client would read it: newline-delimited JSON on one HTTP
 * stream. `onEvent` gets each event with its arrival time (performance.now()).
 */
export async function subscribeContainerEvents(
  docker: Docker,
  onEvent: (event: DockerEvent, arrivedAt: number) => void,
): Promise<() => void> {
  const stream = (await docker.getEvents({ filters: { type: ['container'] } })) as NodeJS.ReadableStream & {
    destroy: () => void;
  };
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    const arrivedAt = performance.now();
    buffer += decoder.write(chunk);
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onEvent(JSON.parse(line) as DockerEvent, arrivedAt);
    }
  });
  stream.on('error', () => undefined);
  return () => stream.destroy();
}
