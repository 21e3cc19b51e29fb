/**
 * Instances and their paths. Pure: every function takes the environment it reads and creates nothing
 * on disk (the daemon creates the directories, 0700, when it starts).
 */
import path from 'node:path';

export const defaultInstance = 'default';
export const instanceNamePattern = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** macOS limits a unix socket path to 104 bytes including the terminating NUL. */
export const maxSocketPathBytes = 103;

export class InvalidInstanceError extends Error {
  override readonly name = 'InvalidInstanceError';
  constructor(readonly instance: string) {
    super(
      `invalid instance name ${JSON.stringify(instance)}: use 1-32 characters of a-z, 0-9 and "-", starting with a letter or digit`,
    );
  }
}

/** The instance named by the flag, else `RDD_INSTANCE`, else `default`; throws on a malformed name. */
export function resolveInstance(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const name = flag ?? env.RDD_INSTANCE ?? defaultInstance;
  if (!instanceNamePattern.test(name)) throw new InvalidInstanceError(name);
  return name;
}

/** Where the instance keeps things. Keys are the ones `rdd svc paths` prints. */
export interface InstancePaths {
  /** Data: the store, credentials, the NATS config. */
  readonly dir: string;
  readonly store_dir: string;
  /** The client role's bus credentials: what the CLI and other programs use (protocol/credentials.ts). */
  readonly creds_file: string;
  /** The read-only watch role's credentials: for a tool that only reads and watches. */
  readonly watch_creds_file: string;
  /** The daemon role's credentials: only the daemon (and fault tests) connect with them. */
  readonly daemon_creds_file: string;
  readonly nats_config: string;
  readonly log_dir: string;
  /** Short directory for sockets and pid files. */
  readonly run_dir: string;
  readonly pid_file: string;
  readonly daemon_file: string;
  readonly nats_pid_file: string;
  readonly docker_socket: string;
}

export const pathKeys = [
  'dir',
  'store_dir',
  'creds_file',
  'watch_creds_file',
  'daemon_creds_file',
  'nats_config',
  'log_dir',
  'run_dir',
  'pid_file',
  'daemon_file',
  'nats_pid_file',
  'docker_socket',
] as const satisfies readonly (keyof InstancePaths)[];
export type PathKey = (typeof pathKeys)[number];

export interface PlatformInfo {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Linux follows XDG (data in `$XDG_DATA_HOME/rdd/<instance>`, logs in `$XDG_STATE_HOME/rdd/<instance>`,
 * sockets in `$XDG_RUNTIME_DIR/rdd/<instance>`, else `~/.rdd/<instance>`); macOS uses Application
 * Support and Logs, and `~/.rdd/<instance>` for sockets because its socket paths are short-limited.
 */
export function instancePaths(instance: string, { platform, home, env }: PlatformInfo): InstancePaths {
  const nonEmpty = (value: string | undefined): string | undefined => (value ? value : undefined);
  let dataRoot: string;
  let logRoot: string;
  let runRoot: string;
  if (platform === 'darwin') {
    dataRoot = path.join(home, 'Library', 'Application Support', 'rdd');
    logRoot = path.join(home, 'Library', 'Logs', 'rdd');
    runRoot = path.join(home, '.rdd');
  } else {
    dataRoot = path.join(nonEmpty(env.XDG_DATA_HOME) ?? path.join(home, '.local', 'share'), 'rdd');
    logRoot = path.join(nonEmpty(env.XDG_STATE_HOME) ?? path.join(home, '.local', 'state'), 'rdd');
    const runtime = nonEmpty(env.XDG_RUNTIME_DIR);
    runRoot = runtime ? path.join(runtime, 'rdd') : path.join(home, '.rdd');
  }
  const dir = path.join(dataRoot, instance);
  const runDir = path.join(runRoot, instance);
  return {
    dir,
    store_dir: path.join(dir, 'store'),
    creds_file: path.join(dir, 'nats-creds.json'),
    watch_creds_file: path.join(dir, 'nats-watch-creds.json'),
    daemon_creds_file: path.join(dir, 'nats-daemon-creds.json'),
    nats_config: path.join(dir, 'nats-server.conf'),
    log_dir: path.join(logRoot, instance),
    run_dir: runDir,
    pid_file: path.join(runDir, 'rdd.pid'),
    daemon_file: path.join(runDir, 'daemon.json'),
    nats_pid_file: path.join(runDir, 'nats-server.pid'),
    docker_socket: path.join(runDir, 'docker.sock'),
  };
}

/** The directories the daemon creates (0700); `rdd svc delete` empties them but for the engine's data. */
export function instanceDirs(paths: InstancePaths): string[] {
  return [paths.dir, paths.log_dir, paths.run_dir];
}

/**
 * Where rdd's own engines keep the user's containers, images and volumes, inside the instance dir: the
 * dockerd driver's data-root and the lima driver's LIMA_HOME (the VM and its disk). Plain
 * `rdd svc delete` keeps them; only `--purge` removes them. The drivers name the same directories
 * (dockerdLayout, limaHome); a unit test holds the two in step.
 */
export function engineDataDirs(paths: InstancePaths): { readonly dockerdDataRoot: string; readonly limaHome: string } {
  return { dockerdDataRoot: path.join(paths.dir, 'docker'), limaHome: path.join(paths.dir, 'lima') };
}

/** Null when every socket path fits the platform limit, else a message naming the path. */
export function socketPathProblem(paths: InstancePaths): string | null {
  const bytes = Buffer.byteLength(paths.docker_socket);
  return bytes > maxSocketPathBytes
    ? `socket path ${paths.docker_socket} is ${bytes} bytes; unix sockets allow at most ${maxSocketPathBytes}: use a shorter HOME or XDG_RUNTIME_DIR`
    : null;
}
