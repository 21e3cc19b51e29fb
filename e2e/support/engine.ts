/**
 * Helpers for e2e tests that drive a dockerd directly (rdd's, or a private one started here): the
 * environment for the docker CLI and testcontainers, a published busybox httpd started through
 * testcontainers, and cleanup of what testcontainers left (Ryuk, its reaper, is off: it needs a
 * registry).
 *
 * How testcontainers 12 picks its engine (node_modules/testcontainers/build/container-runtime):
 * - `getContainerRuntimeClient()` tries strategies in order — `tc.host` from ~/.testcontainers.properties,
 *   then DOCKER_HOST (env over that file's `docker.host`), then /var/run/docker.sock — and memoizes the
 *   first client that answers `info` in a module-level variable, as `getContainerRuntimeConfig()` does
 *   the config. Both are read on the first container start, not at import, and never again.
 * - TESTCONTAINERS_HOST_OVERRIDE is read with them. Without it, inside a container (/.dockerenv exists
 *   here) it asks the engine for the `bridge` network's gateway, and failing that runs `alpine:3.14`.
 * - TESTCONTAINERS_RYUK_DISABLED is read on the first start too (then the reaper is memoized).
 * - DOCKER_CONFIG (registry auth) is read when the module is loaded.
 * So: set process.env before testcontainers is first loaded, which is why it is imported lazily below,
 * and use one engine per module registry. Jest gives each test file its own module registry and its own
 * copy of process.env, so one socket per test file works; a second socket in the same file is refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type * as Testcontainers from 'testcontainers';
import type { StartedTestContainer } from 'testcontainers';
import { dockerdLayout } from '../../actors/vm/drivers/dockerd-args.js';
import { dockerdDriver } from '../../actors/vm/drivers/dockerd.driver.js';
import { terminate } from '../../host/processes.js';
import { busyboxImage, ensureBusyboxImage } from '../drivers/busybox-image.js';
import { DriverTestInstance, processesWith } from '../drivers/support.js';

/** The label testcontainers puts on everything it creates. */
export const testcontainersLabel = 'org.testcontainers';

export interface EngineEnv {
  readonly DOCKER_HOST: string;
  /** An empty config dir of this test file: no credential helpers, contexts or auth of the user's. */
  readonly DOCKER_CONFIG: string;
  readonly TESTCONTAINERS_RYUK_DISABLED: 'true';
  readonly TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1';
  [name: string]: string;
}

let dockerConfigDir: string | undefined;

/** Environment for the docker CLI and testcontainers against `socket`; merge it into a child's env. */
export function engineEnv(socket: string): EngineEnv {
  dockerConfigDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-docker-config-'));
  return {
    DOCKER_HOST: `unix://${socket}`,
    DOCKER_CONFIG: dockerConfigDir,
    TESTCONTAINERS_RYUK_DISABLED: 'true',
    TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  };
}

/** Removes the DOCKER_CONFIG dir engineEnv() made (call it in afterAll). */
export function disposeEngineEnv(): void {
  if (dockerConfigDir) fs.rmSync(dockerConfigDir, { recursive: true, force: true });
  dockerConfigDir = undefined;
}

let boundSocket: string | undefined;

/**
 * Loads testcontainers pointed at `socket`. The first call in a test file decides the socket for the
 * whole file (see the header); a later call with another socket throws instead of silently using the
 * first engine.
 */
export async function testcontainersOn(socket: string): Promise<typeof Testcontainers> {
  if (boundSocket !== undefined && boundSocket !== socket) {
    throw new Error(
      `testcontainers is already bound to ${boundSocket} in this test file; it memoizes its engine, so use one socket per file`,
    );
  }
  if (boundSocket === undefined) {
    const properties = path.join(os.homedir(), '.testcontainers.properties');
    if (fs.existsSync(properties) && /^\s*tc\.host\s*=/m.test(fs.readFileSync(properties, 'utf8'))) {
      throw new Error(`${properties} sets tc.host, which testcontainers prefers to DOCKER_HOST`);
    }
    Object.assign(process.env, engineEnv(socket));
    boundSocket = socket;
  }
  return import('testcontainers');
}

export interface BusyboxHttpdOptions {
  /** What `GET /` answers (a line of text); `rdd-ok` by default. */
  readonly page?: string;
  readonly name?: string;
  readonly labels?: Record<string, string>;
  readonly startupTimeoutMs?: number;
}

export interface BusyboxHttpd {
  readonly container: StartedTestContainer;
  readonly id: string;
  /** The host port on 127.0.0.1 that reaches the httpd's port 8080. */
  readonly port: number;
  readonly url: string;
}

const httpdPort = 8080;

/**
 * A busybox httpd started by testcontainers on `socket`, published on 127.0.0.1 only, ready once `GET /`
 * answers 200 through the published port. That wait runs on the host and needs no helper image (the
 * default wait also execs port probes in the container, and a distroless fallback would pull one).
 * Never an always-pull policy: the image exists only locally.
 */
export async function startBusyboxHttpd(socket: string, options: BusyboxHttpdOptions = {}): Promise<BusyboxHttpd> {
  const { GenericContainer, Wait } = await testcontainersOn(socket);
  await ensureBusyboxImage(socket);

  /** testcontainers publishes on every address and cannot add `--init`; both are set just before create. */
  class LoopbackContainer extends GenericContainer {
    protected override beforeContainerCreated(): Promise<void> {
      const bindings = this.hostConfig.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[]>;
      for (const [port, hosts] of Object.entries(bindings ?? {})) {
        bindings[port] = hosts.map((host) => ({ ...host, HostIp: '127.0.0.1' }));
      }
      // busybox as PID 1 ignores SIGTERM; with an init, stop does not wait out its timeout.
      this.hostConfig.Init = true;
      return Promise.resolve();
    }
  }

  let container = new LoopbackContainer(busyboxImage)
    .withEnvironment({ PAGE: options.page ?? 'rdd-ok' })
    .withCommand([
      'sh',
      '-c',
      `mkdir -p /www && echo "$PAGE" > /www/index.html && exec httpd -f -p ${httpdPort} -h /www`,
    ])
    .withExposedPorts(httpdPort)
    .withLabels(options.labels ?? {})
    .withWaitStrategy(Wait.forHttp('/', httpdPort).forStatusCode(200))
    .withStartupTimeout(options.startupTimeoutMs ?? 30_000);
  if (options.name) container = container.withName(options.name);

  const started = await container.start();
  const port = started.getMappedPort(httpdPort);
  return { container: started, id: started.getId(), port, url: `http://127.0.0.1:${port}/` };
}

/**
 * Removes every container (with its anonymous volumes) and network labelled `org.testcontainers=true`
 * on `socket`: the cleanup Ryuk would do. Resolves to the ids of the removed containers.
 */
export async function removeTestcontainers(socket: string): Promise<string[]> {
  const docker = new Docker({ socketPath: socket });
  const filters = { label: [`${testcontainersLabel}=true`] };
  const containers = await docker.listContainers({ all: true, filters });
  for (const { Id } of containers) {
    await docker
      .getContainer(Id)
      .remove({ force: true, v: true })
      .catch((error: { statusCode?: number }) => {
        // Gone meanwhile (auto-remove, a concurrent stop) is what we wanted.
        if (error.statusCode !== 404) throw error;
      });
  }
  for (const { Id } of await docker.listNetworks({ filters })) {
    await docker
      .getNetwork(Id)
      .remove()
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
  }
  return containers.map(({ Id }) => Id);
}

export interface PrivateDockerd {
  readonly socket: string;
  readonly pid: number;
  /** Stops dockerd and its containerd and shims (by pid), and removes its temp dir. */
  stop(): Promise<void>;
}

/**
 * A dockerd of its own (data-root, exec-root, pidfile, socket, all under a temp dir), started
 * the way rdd's dockerd driver starts one, for tests of test support that need a real engine but no rdd.
 */
export async function startPrivateDockerd(name: string): Promise<PrivateDockerd> {
  const instance = new DriverTestInstance(name);
  const driver = dockerdDriver();
  const config = instance.config();
  const layout = dockerdLayout(instance.paths);
  const stop = async (): Promise<void> => {
    await driver.stop(config).catch(() => undefined);
    // Whatever survived with this instance's unique dirs on its command line (by pid, never by name).
    for (const pid of new Set([...processesWith(layout.dataRoot), ...processesWith(layout.execRoot)])) {
      await terminate(pid, 5_000);
    }
    instance.remove();
  };
  try {
    const handle = await driver.start(config, new AbortController().signal);
    return { socket: handle.socket, pid: handle.pid ?? 0, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
