import { instancePaths } from '../../../protocol/instance.js';
import { dockerdArgs, dockerdLayout, isDockerdFor } from './dockerd-args.js';

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
    });
  });
});

describe('dockerdArgs', () => {
  const args = dockerdArgs(layout, 'rdd-0123abcd');

  it.each([
    '--data-root=/home/ann/.local/share/rdd/dev/docker',
    '--exec-root=/run/user/0/rdd/dev/dx',
    '--pidfile=/run/user/0/rdd/dev/dockerd.pid',
    `--host=unix://${paths.docker_socket}`,
    '--config-file=/home/ann/.local/share/rdd/dev/dockerd.json',
    '--bridge=rdd-0123abcd',
    '--iptables=false',
    '--ip-forward=false',
    '--userland-proxy=true',
    '--log-level=info',
  ])('should pass %s when building the flags', (flag) => {
    expect(args).toContain(flag);
  });

  it('should not point dockerd at a system containerd when building the flags', () => {
    expect(args.some((arg) => arg.startsWith('--containerd'))).toBe(false);
  });
});

describe('isDockerdFor', () => {
  it.each([
    [`/usr/sbin/dockerd --data-root=${layout.dataRoot} --exec-root=x`, true],
    [`dockerd --data-root=${layout.dataRoot}`, true],
    [`dockerd --data-root=${layout.dataRoot}2 --exec-root=x`, false],
    [`containerd --data-root=${layout.dataRoot}`, false],
    ['/usr/sbin/dockerd -H fd://', false],
  ])('should say %s is ours: %s', (command, expected) => {
    expect(isDockerdFor(command, layout)).toBe(expected);
  });
});
