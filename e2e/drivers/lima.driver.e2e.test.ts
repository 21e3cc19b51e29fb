/**
 * The lima driver against the stand-in `limactl` (e2e/drivers/limactl-standin), whose "VM" is a real
 * dockerd on the template's forwarded socket: create and start, adopt, apply a changed template, stop,
 * and a host agent that dies. Needs `npm run build` (the stand-in runs the compiled dockerd driver).
 */
import { isAlive, terminate } from '../../host/processes.js';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { VmConfig } from '../../actors/vm/driver.js';
import { pingEngine } from '../../actors/vm/drivers/engine-ping.js';
import { limaDriver } from '../../actors/vm/drivers/lima.driver.js';
import { limaHome, limaInstanceName } from '../../actors/vm/drivers/limactl.js';
import { DriverTestInstance, fetchPublished, processesWith, runPublishedWeb } from './support.js';

const standin = path.join(__dirname, 'limactl-standin');
const neverAborted = new AbortController().signal;
const instance = new DriverTestInstance('lima-e2e');
const limaName = limaInstanceName(instance.name);
const vmDir = path.join(limaHome(instance.paths), limaName);

function config(overrides: Partial<VmConfig> = {}): VmConfig {
  const base = instance.config();
  return instance.config({ env: { ...base.env, RDD_LIMACTL: standin }, ...overrides });
}

afterAll(async () => {
  await limaDriver()
    .stop(config())
    .catch(() => undefined);
  for (const pid of processesWith(vmDir)) await terminate(pid, 5_000);
  instance.remove();
});

describe('lima driver (stand-in limactl)', () => {
  it('should create and start the VM and serve the engine on the forwarded socket when started', async () => {
    // Arrange
    const driver = limaDriver();

    // Act
    const handle = await driver.start(config(), neverAborted);
    const web = await runPublishedWeb(handle.socket);
    const page = await fetchPublished(web.port);

    // Assert
    expect(handle).toMatchObject({ socket: instance.paths.docker_socket, adopted: false });
    expect(Number(fs.readFileSync(path.join(vmDir, 'ha.pid'), 'utf8'))).toBe(handle.pid);
    expect(isAlive(handle.pid!)).toBe(true);
    expect(page).toBe('rdd-ok');
    expect(fs.readFileSync(path.join(vmDir, 'lima.yaml'), 'utf8')).toBe(
      fs.readFileSync(path.join(instance.paths.dir, 'lima.yaml'), 'utf8'),
    );
  });

  it('should adopt the running VM when a new daemon starts it with the same template', async () => {
    // Arrange
    const before = Number(fs.readFileSync(path.join(vmDir, 'ha.pid'), 'utf8'));

    // Act
    const handle = await limaDriver().start(config(), neverAborted);

    // Assert
    expect(handle).toMatchObject({ adopted: true, pid: before });
    await expect(pingEngine(handle.socket, 2_000)).resolves.toBeUndefined();
  });

  it('should restart the VM with the new template when cpus change', async () => {
    // Arrange
    const driver = limaDriver();
    const before = Number(fs.readFileSync(path.join(vmDir, 'ha.pid'), 'utf8'));
    const changed = config({ cpus: 3 });

    // Act
    const handle = await driver.start(changed, neverAborted);

    // Assert
    expect(driver.fingerprint(changed)).not.toBe(driver.fingerprint(config()));
    expect(handle.adopted).toBe(false);
    expect(handle.pid).not.toBe(before);
    expect(isAlive(before)).toBe(false);
    expect((parse(fs.readFileSync(path.join(vmDir, 'lima.yaml'), 'utf8')) as { cpus: number }).cpus).toBe(3);
    await expect(pingEngine(handle.socket, 2_000)).resolves.toBeUndefined();
  });

  it('should report the VM gone when its host agent dies', async () => {
    // Arrange
    const changed = config({ cpus: 3 });
    const handle = await limaDriver().start(changed, neverAborted);

    // Act
    process.kill(handle.pid!, 'SIGKILL');
    const death = await handle.died;

    // Assert
    expect(death.message).toContain(`(pid ${handle.pid}) exited`);
  });

  it('should stop the VM and leave no engine process behind when stopped', async () => {
    // Arrange
    const driver = limaDriver();
    const changed = config({ cpus: 3 });
    const handle = await driver.start(changed, neverAborted);

    // Act
    await driver.stop(changed);

    // Assert
    expect(isAlive(handle.pid!)).toBe(false);
    expect(processesWith(vmDir)).toEqual([]);
    await expect(pingEngine(handle.socket, 1_000)).rejects.toThrow('did not answer /_ping');
  });

  it('should resolve once limactl start succeeds without pinging when the engine is containerd', async () => {
    // Arrange: containerd forwards no docker socket, so readiness is the VM's own (its probes).
    const other = new DriverTestInstance('lima-ctrd');
    const driver = limaDriver();
    const containerd = other.config({ engine: 'containerd', env: { ...other.config().env, RDD_LIMACTL: standin } });
    const otherVmDir = path.join(limaHome(other.paths), limaInstanceName(other.name));
    try {
      // Act
      const handle = await driver.start(containerd, neverAborted);
      await driver.stop(containerd);

      // Assert
      expect(handle).toMatchObject({ socket: other.paths.docker_socket, adopted: false });
      expect(fs.existsSync(other.paths.docker_socket)).toBe(false);
      expect(isAlive(handle.pid!)).toBe(false);
      expect(processesWith(otherVmDir)).toEqual([]);
    } finally {
      for (const pid of processesWith(otherVmDir)) await terminate(pid, 5_000);
      other.remove();
    }
  });

  it('should reject naming how to install Lima when limactl is missing', async () => {
    // Arrange
    const missing = instance.config({ env: { PATH: instance.home } });

    // Act / Assert
    await expect(limaDriver().start(missing, neverAborted)).rejects.toThrow('brew install lima');
  });
});
