/**
 * Where an rdd-started dockerd keeps its things and the flags that put them there. Pure, so the e2e
 * stand-in `limactl` can start its "VM" exactly the way the dockerd driver does.
 */
import path from 'node:path';
import type { InstancePaths } from '../../../protocol/instance.js';

export interface DockerdLayout {
  readonly dataRoot: string;
  /** Short on purpose: dockerd's containerd puts its sockets under it (108-byte sun_path). */
  readonly execRoot: string;
  readonly pidFile: string;
  readonly socket: string;
  readonly logFile: string;
  /** An empty config of our own, so a system /etc/docker/daemon.json cannot clash with our flags. */
  readonly configFile: string;
  readonly containerdPidFile: string;
  /** Where containerd keeps one bundle directory per running container (with its init.pid). */
  readonly shimTasksDir: string;
}

export function dockerdLayout(paths: InstancePaths): DockerdLayout {
  const execRoot = path.join(paths.run_dir, 'dx');
  return {
    dataRoot: path.join(paths.dir, 'docker'),
    execRoot,
    pidFile: path.join(paths.run_dir, 'dockerd.pid'),
    socket: paths.docker_socket,
    logFile: path.join(paths.log_dir, 'dockerd.log'),
    configFile: path.join(paths.dir, 'dockerd.json'),
    containerdPidFile: path.join(execRoot, 'containerd', 'containerd.pid'),
    shimTasksDir: path.join(execRoot, 'containerd', 'daemon', 'io.containerd.runtime.v2.task'),
  };
}

/**
 * The flags of rdd's dockerd. Each one keeps it out of the system dockerd's way:
 * - its own data-root, exec-root (hence its own managed containerd), pidfile, socket and config file;
 * - `--bridge` to rdd's bridge instead of docker0;
 * - `--iptables=false`: a second dockerd that manages iptables re-creates (flushes) the shared
 *   `DOCKER` and `DOCKER-ISOLATION-*` chains, deleting the other daemon's port and isolation rules, and
 *   leaves its own rules behind when it exits. Publishing still works through the userland proxy
 *   (`docker-proxy`), hence `--userland-proxy=true` spelled out;
 * - `--ip-forward=false`: without iptables there is no NAT for forwarding to serve, so the host's
 *   `net.ipv4.ip_forward` is left as it was.
 */
export function dockerdArgs(layout: DockerdLayout, bridge: string): string[] {
  return [
    `--data-root=${layout.dataRoot}`,
    `--exec-root=${layout.execRoot}`,
    `--pidfile=${layout.pidFile}`,
    `--host=unix://${layout.socket}`,
    `--config-file=${layout.configFile}`,
    `--bridge=${bridge}`,
    '--iptables=false',
    '--ip-forward=false',
    '--userland-proxy=true',
    '--log-level=info',
  ];
}

/** True when a command line is a dockerd on exactly this data-root (not a prefix of another one). */
export function isDockerdFor(commandLine: string, layout: DockerdLayout): boolean {
  return commandLine.includes('dockerd') && `${commandLine} `.includes(`--data-root=${layout.dataRoot} `);
}
