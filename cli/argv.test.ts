import { normalizeArgv, protectRunCommand, splitRunArgv } from './argv.js';

describe('splitRunArgv', () => {
  it.each([
    [['sh', '-c', 'exit 7'], [], ['sh', '-c', 'exit 7']],
    [['docker', 'ps', '-a'], [], ['docker', 'ps', '-a']],
    [['--', 'docker', 'ps'], [], ['docker', 'ps']],
    [
      ['--instance', 'x', 'docker', 'ps'],
      ['--instance', 'x'],
      ['docker', 'ps'],
    ],
    [
      ['--instance=x', '--log-level', 'debug', 'docker', '--help'],
      ['--instance=x', '--log-level', 'debug'],
      ['docker', '--help'],
    ],
    [
      ['--instance', 'x', '--', '--weird-name', '--'],
      ['--instance', 'x'],
      ['--weird-name', '--'],
    ],
    [['docker', '--', 'x'], [], ['docker', '--', 'x']],
    [['--help'], ['--help'], []],
    [[], [], []],
    [['--instance', 'x'], ['--instance', 'x'], []],
  ])('should split %j into rdd flags %j and the command %j', (argv, own, command) => {
    expect(splitRunArgv(argv)).toEqual({ own, command });
  });
});

describe('protectRunCommand', () => {
  it.each([
    [
      ['run', 'docker', '--help'],
      ['run', '--', 'docker', '--help'],
    ],
    [
      ['run', '--instance', 'x', 'docker', 'ps', '-a'],
      ['run', '--instance', 'x', '--', 'docker', 'ps', '-a'],
    ],
    [
      ['run', '--', 'docker', 'ps'],
      ['run', '--', 'docker', 'ps'],
    ],
    [
      ['run', '--help'],
      ['run', '--help'],
    ],
    [
      ['get', '--help'],
      ['get', '--help'],
    ],
    [
      ['set', 'run', 'x'],
      ['set', 'run', 'x'],
    ],
  ])('should hand oclif %j as %j', (argv, expected) => {
    expect(protectRunCommand(argv)).toEqual(expected);
  });
});

describe('normalizeArgv', () => {
  it.each([
    [
      ['--instance', 'x', 'svc', 'start'],
      ['svc', 'start', '--instance', 'x'],
    ],
    [
      ['svc', '--instance=x', 'status', '-o', 'json'],
      ['svc', 'status', '-o', 'json', '--instance=x'],
    ],
    [
      ['--log-level', 'debug', 'ctl', 'get', 'containers'],
      ['ctl', 'get', 'containers', '--log-level', 'debug'],
    ],
    [
      ['ctl', 'get', 'containers', '--instance', 'x'],
      ['ctl', 'get', 'containers', '--instance', 'x'],
    ],
    [
      ['svc', 'status', '-h'],
      ['svc', 'status', '--help'],
    ],
    [
      ['help', 'ctl', 'get'],
      ['ctl', 'get', '--help'],
    ],
    [['help'], ['--help']],
    [
      ['ctl', 'get', '--instance', 'x', '--', '-h'],
      ['ctl', 'get', '--instance', 'x', '--', '-h'],
    ],
    [
      ['--instance', 'x', 'run', 'docker', 'ps', '--instance', 'y', '-h'],
      ['run', '--instance', 'x', '--', 'docker', 'ps', '--instance', 'y', '-h'],
    ],
    [
      ['run', 'sh', '-c', 'exit 7'],
      ['run', '--', 'sh', '-c', 'exit 7'],
    ],
  ])('should turn %j into %j', (argv, expected) => {
    expect(normalizeArgv(argv)).toEqual(expected);
  });
});

describe('normalizeArgv with topics', () => {
  const commandIds = (): string[] => [
    'get',
    'ctl:get',
    'ctl:delete',
    'svc:status',
    'svc:start',
    'version',
    'machines:lima:list',
  ];

  it.each([
    [
      ['ctl', '-n', 'rancher-desktop', 'get', 'containers'],
      ['ctl', 'get', '-n', 'rancher-desktop', 'containers'],
    ],
    [
      ['ctl', '-o', 'json', 'get', 'containers'],
      ['ctl', 'get', '-o', 'json', 'containers'],
    ],
    [
      ['ctl', '--namespace=x', '-A', 'delete', 'container/web'],
      ['ctl', 'delete', '--namespace=x', '-A', 'container/web'],
    ],
    [
      ['svc', '--instance', 'x', 'status'],
      ['svc', 'status', '--instance', 'x'],
    ],
    [
      ['machines', '-o', 'json', 'lima', 'list'],
      ['machines', 'lima', 'list', '-o', 'json'],
    ],
    [
      ['ctl', '-h', 'get'],
      ['ctl', 'get', '--help'],
    ],
    [
      ['-o', 'json', 'get'],
      ['get', '-o', 'json'],
    ],
    [
      ['-o', 'yaml', 'ctl', 'get', 'containers'],
      ['ctl', 'get', '-o', 'yaml', 'containers'],
    ],
    [
      ['-h', 'svc', 'status'],
      ['svc', 'status', '--help'],
    ],
    [
      ['-o', 'json', 'ctl', '-n', 'x', 'get', 'containers'],
      ['ctl', 'get', '-o', 'json', '-n', 'x', 'containers'],
    ],
  ])('should run the command of %j with its flags, as %j', (argv, expected) => {
    expect(normalizeArgv(argv, commandIds)).toEqual(expected);
  });

  it.each([
    [['ctl', '--help']],
    [['ctl', '-o', 'json']],
    [['ctl', '-n', 'x', 'frobnicate']],
    [['get', '-o', 'json', 'containers']],
    [['-o', 'json']],
    [['-o', 'json', 'frobnicate']],
    [['-h', 'ctl']],
  ])('should leave %j alone: no command of a topic follows', (argv) => {
    expect(normalizeArgv(argv, commandIds)).toEqual(argv.map((token) => (token === '-h' ? '--help' : token)));
  });

  it.each([
    [['--version'], ['version']],
    [
      ['--version', '-o', 'json'],
      ['version', '-o', 'json'],
    ],
  ])('should answer %j as rdd version does, as %j', (argv, expected) => {
    expect(normalizeArgv(argv, commandIds)).toEqual(expected);
  });
});
