import { instancePaths } from '../../../protocol/instance.js';
import { dockerdArgs, dockerdLayout, isDockerdFor, isRootlesskitFor, rootlesskitArgs } from './dockerd-args.js';

const paths = instancePaths('dev', { platform: 'linux', home: '/home/ann', env: { XDG_RUNTIME_DIR: '/run/user/0' } });
const layout = dockerdLayout(paths);

describe('dockerdLayout', () => {
  it('should keep data under the instance dir and sockets and pid files under the run dir when derived', () => {
    expect(layout).toEqual({
      dataRoot: '/home/ann/.local/share/rdd/dev/docker',
      execRoot: '/run/user/0/rdd/dev/dx',
      pidFile: '/run/user/0/rdd/dev/dockerd.pid',
      socket: paths.docker_socket,
      logFile: '/home/ann/.local/state/rdd/dev/dockerd.log',
      configFile: '/home/ann/.local/share/rdd/dev/dockerd.json',
      containerdPidFile: '/run/user/0/rdd/dev/dx/containerd/containerd.pid',
      shimTasksDir: '/run/user/0/rdd/dev/dx/containerd/daemon/io.containerd.runtime.v2.task',
      rootlesskitStateDir: '/run/user/0/rdd/dev/rk',
      rootlesskitPidFile: '/run/user/0/rdd/dev/rootlesskit.pid',
      runtimeDir: '/run/user/0/rdd/dev/xdg',
    });
  });
});

describe('dockerdArgs', () => {
  const args = dockerdArgs(layout);

  it.each([
    '--data-root=/home/ann/.local/share/rdd/dev/docker',
    '--exec-root=/run/user/0/rdd/dev/dx',
    '--pidfile=/run/user/0/rdd/dev/dockerd.pid',
    `--host=unix://${paths.docker_socket}`,
    '--config-file=/home/ann/.local/share/rdd/dev/dockerd.json',
    '--log-level=info',
  ])('should pass %s when building the flags', (flag) => {
    expect(args).toContain(flag);
  });

  it.each(['--bridge', '--iptables', '--ip-forward', '--userland-proxy'])(
    'should leave %s at its default when building the flags (networking lives in the namespace)',
    (flag) => {
      expect(args.some((arg) => arg.startsWith(flag))).toBe(false);
    },
  );

  it('should not point dockerd at a system containerd when building the flags', () => {
    expect(args.some((arg) => arg.startsWith('--containerd'))).toBe(false);
  });
});

describe('rootlesskitArgs', () => {
  const args = rootlesskitArgs(layout, '/usr/sbin/dockerd', ['--data-root=/d', '--log-level=info']);

  it('should run slirp4netns networking with its own state dir and without the host loopback when building the command', () => {
    expect(args.slice(0, 10)).toEqual([
      '--net=slirp4netns',
      '--mtu=65520',
      '--slirp4netns-sandbox=auto',
      '--slirp4netns-seccomp=auto',
      '--disable-host-loopback',
      '--port-driver=builtin',
      '--copy-up=/etc',
      '--copy-up=/run',
      '--propagation=rslave',
      '--state-dir=/run/user/0/rdd/dev/rk',
    ]);
  });

  it('should drop the docker entries linked from the host /run and exec dockerd with its flags when building the command', () => {
    expect(args.slice(10)).toEqual([
      'sh',
      '-c',
      'rm -f /run/docker /run/containerd /run/xtables.lock; exec "$0" "$@"',
      '/usr/sbin/dockerd',
      '--data-root=/d',
      '--log-level=info',
    ]);
  });
});

describe('isRootlesskitFor', () => {
  it.each([
    [`/usr/bin/rootlesskit --net=slirp4netns --state-dir=${layout.rootlesskitStateDir} sh`, true],
    [`/usr/bin/rootlesskit --state-dir=${layout.rootlesskitStateDir}2 sh`, false],
    [`/usr/sbin/dockerd --state-dir=${layout.rootlesskitStateDir} x`, false],
  ])('should say %s is ours: %s', (command, expected) => {
    expect(isRootlesskitFor(command, layout)).toBe(expected);
  });
});

describe('isDockerdFor', () => {
  it.each([
    [`/usr/sbin/dockerd --data-root=${layout.dataRoot} --exec-root=x`, true],
    [`dockerd --data-root=${layout.dataRoot}`, true],
    [`dockerd --data-root=${layout.dataRoot}2 --exec-root=x`, false],
    [`containerd --data-root=${layout.dataRoot}`, false],
    ['/usr/sbin/dockerd -H fd://', false],
    [`/usr/bin/rootlesskit --net=slirp4netns sh -c x /usr/sbin/dockerd --data-root=${layout.dataRoot} x`, false],
    [`/proc/self/exe --net=slirp4netns sh -c x /usr/sbin/dockerd --data-root=${layout.dataRoot} x`, false],
  ])('should say %s is ours: %s', (command, expected) => {
    expect(isDockerdFor(command, layout)).toBe(expected);
  });
});
