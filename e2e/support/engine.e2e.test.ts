/**
 * The engine helpers against a real, private dockerd: testcontainers pointed at its socket starts a
 * published busybox httpd reachable on 127.0.0.1, and removeTestcontainers leaves nothing labelled.
 */
import Docker from 'dockerode';
import { httpGet } from '../drivers/support.js';
import {
  disposeEngineEnv,
  engineEnv,
  removeTestcontainers,
  startBusyboxHttpd,
  startPrivateDockerd,
  testcontainersLabel,
  testcontainersOn,
  type PrivateDockerd,
} from './engine.js';

describe('engine helpers', () => {
  let engine: PrivateDockerd;

  beforeAll(async () => {
    engine = await startPrivateDockerd('engine-e2e');
  }, 120_000);

  afterAll(async () => {
    if (engine) await removeTestcontainers(engine.socket).catch(() => []);
    await engine?.stop();
    disposeEngineEnv();
  }, 60_000);

  it('should give the docker CLI and testcontainers the socket, no Ryuk, the loopback host and an own config dir', () => {
    const env = engineEnv('/tmp/some/docker.sock');

    expect(env).toMatchObject({
      DOCKER_HOST: 'unix:///tmp/some/docker.sock',
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
    });
    expect(env.DOCKER_CONFIG).toMatch(/rdd-docker-config-/);
    expect(env.DOCKER_CONFIG).not.toBe(process.env.DOCKER_CONFIG);
  });

  it('should start a busybox httpd through testcontainers on the given socket, published on 127.0.0.1 only', async () => {
    // Act
    const web = await startBusyboxHttpd(engine.socket, {
      page: 'hello-testcontainers',
      labels: { 'rdd-test': 'engine' },
    });
    const page = await httpGet(web.url);
    const inspected = await new Docker({ socketPath: engine.socket }).getContainer(web.id).inspect();

    // Assert
    expect(page).toEqual({ status: 200, body: 'hello-testcontainers\n' });
    expect(inspected.Config.Labels).toMatchObject({ [testcontainersLabel]: 'true', 'rdd-test': 'engine' });
    expect(inspected.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] });
    expect(inspected.NetworkSettings.Ports['8080/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(web.port) }]);
    expect(inspected.HostConfig.Init).toBe(true);
  });

  it('should refuse to point testcontainers at a second socket in the same test file', async () => {
    await expect(testcontainersOn(`${engine.socket}.other`)).rejects.toThrow(/already bound to/);
  });

  it('should remove every container testcontainers labelled, running or not', async () => {
    const docker = new Docker({ socketPath: engine.socket });
    const labelled = { label: [`${testcontainersLabel}=true`] };
    const before = await docker.listContainers({ all: true, filters: labelled });

    const removed = await removeTestcontainers(engine.socket);
    const after = await docker.listContainers({ all: true, filters: labelled });

    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(removed.sort()).toEqual(before.map(({ Id }) => Id).sort());
    expect(after).toEqual([]);
  });
});
