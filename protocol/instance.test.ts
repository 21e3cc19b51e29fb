import { InvalidInstanceError, instancePaths, resolveInstance, socketPathProblem } from './instance.js';

describe('resolveInstance', () => {
  it.each([
    ['the flag', 'dev', { RDD_INSTANCE: 'other' }, 'dev'],
    ['RDD_INSTANCE', undefined, { RDD_INSTANCE: 'ci-1' }, 'ci-1'],
    ['the default', undefined, {}, 'default'],
    ['a 32-character name', 'a'.repeat(32), {}, 'a'.repeat(32)],
  ])('should take %s', (_source, flag, env, expected) => {
    expect(resolveInstance(flag, env)).toBe(expected);
  });

  it.each(['', 'Dev', '-dev', 'a_b', 'a.b', 'a'.repeat(33), 'ü'])(
    'should reject %j naming the allowed form',
    (name) => {
      expect(() => resolveInstance(name, {})).toThrow(InvalidInstanceError);
      expect(() => resolveInstance(name, {})).toThrow(/use 1-32 characters of a-z, 0-9 and "-"/);
    },
  );
});

describe('instancePaths', () => {
  it('should follow XDG on Linux when the variables are set', () => {
    const paths = instancePaths('dev', {
      platform: 'linux',
      home: '/home/u',
      env: { XDG_DATA_HOME: '/d', XDG_STATE_HOME: '/s', XDG_RUNTIME_DIR: '/run/user/1' },
    });

    expect(paths).toMatchObject({
      dir: '/d/rdd/dev',
      store_dir: '/d/rdd/dev/store',
      log_dir: '/s/rdd/dev',
      run_dir: '/run/user/1/rdd/dev',
      docker_socket: '/run/user/1/rdd/dev/docker.sock',
    });
  });

  it('should fall back to ~/.local and ~/.rdd on Linux without XDG variables', () => {
    const paths = instancePaths('default', { platform: 'linux', home: '/home/u', env: {} });

    expect(paths).toMatchObject({
      dir: '/home/u/.local/share/rdd/default',
      log_dir: '/home/u/.local/state/rdd/default',
      run_dir: '/home/u/.rdd/default',
      pid_file: '/home/u/.rdd/default/rdd.pid',
    });
  });

  it('should use Application Support, Logs and a short socket dir on macOS', () => {
    const paths = instancePaths('dev', { platform: 'darwin', home: '/Users/u', env: { XDG_DATA_HOME: '/ignored' } });

    expect(paths).toMatchObject({
      dir: '/Users/u/Library/Application Support/rdd/dev',
      log_dir: '/Users/u/Library/Logs/rdd/dev',
      docker_socket: '/Users/u/.rdd/dev/docker.sock',
    });
  });

  it('should flag a socket path past the 104-byte limit and accept a short one', () => {
    const long = instancePaths('a'.repeat(32), { platform: 'darwin', home: `/Users/${'x'.repeat(70)}`, env: {} });
    const short = instancePaths('dev', { platform: 'darwin', home: '/Users/u', env: {} });

    expect(socketPathProblem(long)).toMatch(/unix sockets allow at most 103/);
    expect(socketPathProblem(short)).toBeNull();
  });
});
