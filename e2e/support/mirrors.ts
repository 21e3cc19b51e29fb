/**
 * For e2e tests of the mirrors: an rdd instance started with the dockerd driver, the docker CLI on its
 * engine socket, and `rdd ctl` read in the forms scripts use (JSON, jsonpath, wait).
 */
import type { Container } from '../../protocol/mirrors/container.schema.js';
import type { Resource, ResourceList } from '../../protocol/resource.schema.js';
import { busyboxImage, docker, ensureBusyboxImage } from '../drivers/busybox-image.js';
import type { TestInstance } from './cli.js';
import { eventually } from './eventually.js';

export { busyboxImage } from '../drivers/busybox-image.js';

export interface SleeperOptions {
  /** `--name`; Docker picks one when omitted. */
  readonly name?: string;
  /** The image; the test image when omitted. It must have `sleep`, or `command` must be given. */
  readonly image?: string;
  /** What the container runs instead of `sleep 3600`; `[]` runs the image's own CMD. */
  readonly command?: readonly string[];
  /** `docker create` (status created, never started) instead of `docker run -d`. */
  readonly created?: boolean;
  /** More `docker run`/`create` flags, before the image (`--network`, `-v`, labels). */
  readonly flags?: readonly string[];
}

/**
 * A test container that sleeps for an hour and stops within a second: `--init` makes `sleep` answer
 * SIGTERM, and `--stop-timeout 1` bounds every stop, so no test waits Docker's default ten seconds.
 * Returns its ID. On `socket` (rdd's engine, or a private dockerd behind a proxy).
 */
export function runSleeper(socket: string, options: SleeperOptions = {}): Promise<string> {
  const create = options.created ? ['create'] : ['run', '-d'];
  const name = options.name === undefined ? [] : ['--name', options.name];
  const command = options.command ?? ['sleep', '3600'];
  return docker(socket, [
    ...create,
    '--init',
    '--stop-timeout',
    '1',
    ...name,
    ...(options.flags ?? []),
    options.image ?? busyboxImage,
    ...command,
  ]);
}

export class EngineSession {
  constructor(
    readonly instance: TestInstance,
    readonly socket: string,
  ) {}

  /** Starts the App with the dockerd driver and imports the test image into its engine. */
  static async start(instance: TestInstance): Promise<EngineSession> {
    await instance.ok(['start', '--timeout', '3m']);
    const socket = instance.paths.docker_socket;
    await ensureBusyboxImage(socket);
    return new EngineSession(instance, socket);
  }

  docker(args: string[], timeoutMs?: number): Promise<string> {
    return docker(this.socket, args, timeoutMs);
  }

  /** A sleeping test container on this engine (see `runSleeper`); its ID. */
  sleeper(options: SleeperOptions = {}): Promise<string> {
    return runSleeper(this.socket, options);
  }

  /**
   * A scratch copy of the test image under `tag`, with an ID of its own (a commit of a busybox
   * container), so `tag` is its only tag and the engine refuses to remove it while a container uses it.
   */
  async imageOfItsOwn(tag: string): Promise<string> {
    const scratch = await this.docker(['create', busyboxImage, 'true']);
    const id = await this.docker(['commit', '--change', 'CMD ["sleep","3600"]', scratch, tag]);
    await this.docker(['rm', scratch]);
    return id;
  }

  /** `rdd ctl get KIND -o json`: the items of the List. */
  async list<R extends Resource>(kind: string, extra: string[] = []): Promise<R[]> {
    const list = await this.instance.json<ResourceList<R>>(['ctl', 'get', kind, ...extra]);
    return list.items;
  }

  /** The container mirror for a Docker name or ID, once it exists. */
  container(name: string): Promise<Container> {
    return eventually(`the mirror of container ${name}`, async () => {
      const result = await this.instance.rdd(['ctl', 'get', 'container', name, '-o', 'json']);
      if (result.code !== 0) throw new Error(result.stderr.trim());
      return JSON.parse(result.stdout) as Container;
    });
  }

  /** Waits (rdd ctl wait) and fails the test with the CLI's output when it does not succeed. */
  async wait(args: string[], timeout = '60s'): Promise<string> {
    const result = await this.instance.rdd(['ctl', 'wait', ...args, `--timeout=${timeout}`], { timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`rdd ctl wait ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  /** `rdd ctl get … -o jsonpath=TEMPLATE`. */
  async jsonpath(target: string[], template: string): Promise<string> {
    return (await this.instance.ok(['ctl', 'get', ...target, '-o', `jsonpath=${template}`])).stdout;
  }
}
