/**
 * The dockerd driver against the real dockerd: start, run and publish a container, stop; a death by
 * SIGKILL; adoption by a new daemon; an unresponsive leftover; failures to start; cancellation.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineHandle } from '../../actors/vm/driver.js';
import { dockerdLayout } from '../../actors/vm/drivers/dockerd-args.js';
import { dockerdDriver } from '../../actors/vm/drivers/dockerd.driver.js';
import { pingEngine } from '../../actors/vm/drivers/engine-ping.js';
import { isAlive, terminate } from '../../host/processes.js';
import { busyboxImage, docker, ensureBusyboxImage } from './busybox-image.js';
import { DriverTestInstance, fetchPublished, mountsUnder, processesWith, runPublishedWeb } from './support.js';

const neverAborted = new AbortController().signal;
const instances: DriverTestInstance[] = [];

function newInstance(name: string): DriverTestInstance {
  const instance = new DriverTestInstance(name);
  instances.push(instance);
  return instance;
}

/** Every process that runs with this instance's dirs: rootlesskit, dockerd, containerd, shims. */
function enginesOf(instance: DriverTestInstance): number[] {
  const layout = dockerdLayout(instance.paths);
  return [
    ...new Set([
      ...processesWith(layout.dataRoot),
      ...processesWith(layout.execRoot),
      ...processesWith(layout.rootlesskitStateDir),
    ]),
  ];
}

afterAll(async () => {
  for (const instance of instances) {
    await dockerdDriver()
      .stop(instance.config())
      .catch(() => undefined);
    for (const pid of enginesOf(instance)) await terminate(pid, 5_000);
    instance.remove();
  }
});

describe('dockerd driver', () => {
  it('should run a published container in its own network namespace and clean up when started and stopped', async () => {
    // Arrange
    const instance = newInstance('dockerd-e2e');
    const driver = dockerdDriver();
    const config = instance.config();

    // Act
    const handle = await driver.start(config, neverAborted);
    const web = await runPublishedWeb(handle.socket);
    const page = await fetchPublished(web.port);
    await driver.stop(config);

    // Assert
    expect(handle).toMatchObject({ socket: instance.paths.docker_socket, adopted: false });
    expect(page).toBe('rdd-ok');
    expect(driver.fingerprint(config)).toBeNull();
    expect(isAlive(handle.pid!)).toBe(false);
    expect(enginesOf(instance)).toEqual([]);
    await expect(pingEngine(handle.socket, 1_000)).rejects.toThrow('did not answer /_ping');
  });

  it('should report the death and leave nothing after stop when dockerd is killed with SIGKILL', async () => {
    // Arrange
    const instance = newInstance('dockerd-kill');
    const driver = dockerdDriver();
    const config = instance.config();
    const handle = await driver.start(config, neverAborted);
    await ensureBusyboxImage(handle.socket);
    const container = await docker(handle.socket, ['run', '-d', '--init', busyboxImage, 'sleep', '600']);
    const containerPid = Number(await docker(handle.socket, ['inspect', '--format', '{{.State.Pid}}', container]));

    // Act
    process.kill(handle.pid!, 'SIGKILL');
    const death = await handle.died;
    const leftoversAfterDeath = enginesOf(instance).length;
    await driver.stop(config);

    // Assert
    expect(death.message).toMatch(new RegExp(`^dockerd \\(pid ${handle.pid}\\) (exited|is gone: rootlesskit)`));
    expect(leftoversAfterDeath).toBeGreaterThan(0);
    expect(enginesOf(instance)).toEqual([]);
    expect(isAlive(containerPid)).toBe(false);
    expect(mountsUnder(instance.home)).toEqual([]);
  });

  it('should adopt the dockerd a killed daemon left running when started again', async () => {
    // Arrange: the first "daemon" drops its driver without stopping, as a daemon killed with -9 would.
    const instance = newInstance('dockerd-adopt');
    const config = instance.config();
    const first = await dockerdDriver().start(config, neverAborted);
    const secondDriver = dockerdDriver();

    // Act
    const second = await secondDriver.start(config, neverAborted);
    const dockerds = processesWith(`--data-root=${dockerdLayout(instance.paths).dataRoot}`).filter((pid) =>
      fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!.endsWith('dockerd'),
    );
    await pingEngine(second.socket, 2_000);
    await secondDriver.stop(config);

    // Assert
    expect(second).toMatchObject({ adopted: true, pid: first.pid, socket: first.socket });
    expect(dockerds).toEqual([first.pid]);
    expect(isAlive(first.pid!)).toBe(false);
    expect(enginesOf(instance)).toEqual([]);
  });

  it('should stop a leftover dockerd that does not answer and start a fresh one when started', async () => {
    // Arrange: SIGSTOP keeps the leftover alive but mute.
    const instance = newInstance('dockerd-mute');
    const config = instance.config();
    const leftover = await dockerdDriver().start(config, neverAborted);
    process.kill(leftover.pid!, 'SIGSTOP');
    const driver = dockerdDriver();

    // Act
    let fresh: EngineHandle | null = null;
    try {
      fresh = await driver.start(config, neverAborted);
    } finally {
      if (isAlive(leftover.pid!)) process.kill(leftover.pid!, 'SIGCONT');
    }
    await driver.stop(config);

    // Assert
    expect(fresh.adopted).toBe(false);
    expect(fresh.pid).not.toBe(leftover.pid);
    expect(isAlive(leftover.pid!)).toBe(false);
    expect(enginesOf(instance)).toEqual([]);
  });

  it('should reject with the tail of dockerd.log when dockerd exits during start', async () => {
    // Arrange
    const instance = newInstance('dockerd-fail');
    const fake = path.join(instance.home, 'failing-dockerd');
    fs.writeFileSync(fake, '#!/bin/sh\necho "level=fatal msg=\\"intentional failure for rdd e2e\\"" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const config = instance.config({ env: { ...instance.config().env, RDD_DOCKERD: fake } });

    // Act
    const starting = dockerdDriver().start(config, neverAborted);

    // Assert
    await expect(starting).rejects.toThrow(
      /exited with code 1; last lines of .*dockerd\.log:\n[\s\S]*intentional failure/,
    );
    expect(enginesOf(instance)).toEqual([]);
  });

  it('should reject naming how to install dockerd when it is not installed', async () => {
    // Arrange
    const instance = newInstance('dockerd-none');
    const config = instance.config({ env: { PATH: instance.home, RDD_DOCKERD: `${instance.home}/no-dockerd` } });

    // Act / Assert
    await expect(dockerdDriver().start(config, neverAborted)).rejects.toThrow('apt-get install docker.io');
  });

  it('should end what it spawned and reject when the signal aborts during start', async () => {
    // Arrange: a dockerd that takes 2 s to even begin (perl sleeps, then execs the real one), so the
    // abort lands mid-start however fast this machine is.
    const instance = newInstance('dockerd-abort');
    const slow = path.join(instance.home, 'slow-dockerd');
    fs.writeFileSync(slow, `#!/usr/bin/perl\nselect(undef, undef, undef, 2);\nexec('/usr/sbin/dockerd', @ARGV);\n`, {
      mode: 0o755,
    });
    const config = instance.config({ env: { ...instance.config().env, RDD_DOCKERD: slow } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('daemon is stopping')), 500);

    // Act
    const starting = dockerdDriver().start(config, controller.signal);

    // Assert
    await expect(starting).rejects.toThrow('daemon is stopping');
    expect(processesWith(slow)).toEqual([]);
    expect(enginesOf(instance)).toEqual([]);
  });
});
