/**
 * Where an rdd-started dockerd keeps its things, the flags that put them there and the RootlessKit
 * command line that runs it in its own user and network namespace. Pure, so the e2e stand-in
 * `limactl` can start its "VM" exactly the way the dockerd driver does.
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
  /** RootlessKit's state: `child_pid`, `api.sock` (its REST API, used by the port driver), `lock`. */
  readonly rootlesskitStateDir: string;
  /** The pid of the rootlesskit that runs dockerd, so a stop can make sure the whole tree is gone. */
  readonly rootlesskitPidFile: string;
  /** dockerd's XDG_RUNTIME_DIR (rootless dockerd refuses to start without one); private, 0700. */
  readonly runtimeDir: string;
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
    rootlesskitStateDir: path.join(paths.run_dir, 'rk'),
    rootlesskitPidFile: path.join(paths.run_dir, 'rootlesskit.pid'),
    runtimeDir: path.join(paths.run_dir, 'xdg'),
  };
}

/**
 * The flags of rdd's dockerd: its own data-root, exec-root (hence its own managed containerd),
 * pidfile, socket and config file, so it never meets a system dockerd's. Networking is left at
 * dockerd's defaults on purpose — docker0, iptables, IP forwarding and the userland proxy all live
 * inside the namespace RootlessKit gives it, and the proxy (`rootlesskit-docker-proxy`, picked by
 * dockerd itself) is how published ports reach the host.
 */
export function dockerdArgs(layout: DockerdLayout): string[] {
  return [
    `--data-root=${layout.dataRoot}`,
    `--exec-root=${layout.execRoot}`,
    `--pidfile=${layout.pidFile}`,
    `--host=unix://${layout.socket}`,
    `--config-file=${layout.configFile}`,
    '--log-level=info',
  ];
}

/**
 * Runs `dockerd` (a resolved path) with `args` under RootlessKit: a user namespace (uid 0 inside is
 * the caller outside, other ids come from its subuid/subgid range) and a network namespace whose
 * outbound traffic slirp4netns carries; `--disable-host-loopback` keeps containers off the host's
 * 127.0.0.1 services. With `--copy-up=/run`, /run inside is a private copy whose entries link to the
 * host's — the docker and containerd ones (and iptables' lock) are dropped before dockerd starts, so it
 * never touches a system dockerd's. The same shape as docker.io's dockerd-rootless.sh, which refuses
 * to run as root.
 */
export function rootlesskitArgs(layout: DockerdLayout, dockerd: string, args: readonly string[]): string[] {
  return [
    '--net=slirp4netns',
    '--mtu=65520',
    '--slirp4netns-sandbox=auto',
    '--slirp4netns-seccomp=auto',
    '--disable-host-loopback',
    '--port-driver=builtin',
    '--copy-up=/etc',
    '--copy-up=/run',
    '--propagation=rslave',
    `--state-dir=${layout.rootlesskitStateDir}`,
    'sh',
    '-c',
    'rm -f /run/docker /run/containerd /run/xtables.lock; exec "$0" "$@"',
    dockerd,
    ...args,
  ];
}

/** True when a command line is the rootlesskit of exactly this layout. */
export function isRootlesskitFor(commandLine: string, layout: DockerdLayout): boolean {
  return (
    commandLine.includes('rootlesskit') && `${commandLine} `.includes(`--state-dir=${layout.rootlesskitStateDir} `)
  );
}

/**
 * True when a command line is a dockerd on exactly this data-root (not a prefix of another one). The
 * program itself must be dockerd: rootlesskit and its namespace child carry dockerd's flags too.
 */
export function isDockerdFor(commandLine: string, layout: DockerdLayout): boolean {
  const program = path.basename(commandLine.split(' ')[0] ?? '');
  return program.includes('dockerd') && `${commandLine} `.includes(`--data-root=${layout.dataRoot} `);
}
