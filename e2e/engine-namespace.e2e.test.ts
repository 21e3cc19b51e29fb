/**
 * rdd's engine in a user and network namespace of its own (the dockerd driver under RootlessKit and
 * slirp4netns), as root: containers get working networking — no "IPv4 forwarding" warning, names
 * resolve on a user-defined network, published ports answer on the host — while the host's firewall
 * stays exactly as it was, and a daemon killed -9 leaves the engine running for the next one to adopt.
 */
import type { App } from '../protocol/app.schema.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { dockerRunWithWarnings, fetchByName, fetchFromPublishedPort, hostFirewall } from './support/engine-network.js';
import { daemonStatus, killFromPidFile, settledApp } from './support/faults.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';

const instance = new TestInstance(uniqueInstance('ns'));
let engine: EngineSession;
let firewallBefore: string;

beforeAll(async () => {
  firewallBefore = await hostFirewall();
  engine = await EngineSession.start(instance);
}, 240_000);

afterAll(() => instance.dispose());

describe('the dockerd driver’s engine in its own namespaces (as root)', () => {
  it('should run a rootless dockerd chosen by vm.driver=auto when started', async () => {
    const app = await instance.json<App>(['get']);
    const security = await engine.docker(['info', '--format', '{{json .SecurityOptions}}']);

    expect(app.spec.vm.driver).toBe('dockerd');
    expect(security).toContain('name=rootless');
  });

  it('should run a container without the IPv4 forwarding warning', async () => {
    const { stdout, stderr } = await dockerRunWithWarnings(engine.socket, ['--rm', busyboxImage, 'echo', 'ran']);

    expect(stdout).toBe('ran');
    expect(stderr).not.toMatch(/IPv4 forwarding is disabled/);
  });

  it('should let two containers on a user-defined network reach each other by name', async () => {
    expect(await fetchByName(engine.socket, 'root')).toBe('by-name-ok');
  });

  it('should answer on the host’s 127.0.0.1 on a published port', async () => {
    const { page } = await fetchFromPublishedPort(engine.socket, 'root');

    expect(page).toBe('published-ok');
  });

  it('should leave the host’s iptables rules exactly as they were', async () => {
    expect(await hostFirewall()).toBe(firewallBefore);
  });

  it('should adopt the running engine, containers and all, when the daemon is killed -9', async () => {
    const before = await daemonStatus(instance);
    const startedAt = await engine.docker(['inspect', '--format', '{{.State.StartedAt}}', 'ns-web-root']);

    const killed = await killFromPidFile(instance.paths.pid_file);
    await instance.ok(['svc', 'start']);
    await settledApp(instance);
    const after = await daemonStatus(instance);

    expect(killed).toBe(before.pid);
    expect(after.pid).not.toBe(killed);
    expect(after.enginePid).toBe(before.enginePid);
    expect(await engine.docker(['inspect', '--format', '{{.State.StartedAt}}', 'ns-web-root'])).toBe(startedAt);
    expect(await hostFirewall()).toBe(firewallBefore);
  });
});
