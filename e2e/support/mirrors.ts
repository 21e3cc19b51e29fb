/**
 * For e2e tests of the mirrors: an rdd instance started with the dockerd driver, the docker CLI on its
 * engine socket, and `rdd ctl` read in the forms scripts use (JSON, jsonpath, wait).
 */
import type { Container } from '../../protocol/mirrors/container.schema.js';
import type { Resource, ResourceList } from '../../protocol/resource.schema.js';
import { busyboxImage, docker, ensureBusyboxImage } from '../drivers/busybox-image.js';
import { eventually } from '../drivers/support.js';
import type { TestInstance } from './cli.js';

export { busyboxImage } from '../drivers/busybox-image.js';

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

export { eventually };
