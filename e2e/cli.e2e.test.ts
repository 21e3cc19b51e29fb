/** How the CLI treats bad input and a broken setup: clear messages, the right exit codes, nothing lost. */
import fs from 'node:fs';
import path from 'node:path';
import { appProperties, describeType } from '../protocol/app.schema.js';
import { instancePaths } from '../protocol/instance.js';
import { repoRoot, TestInstance, uniqueInstance } from './support/cli.js';

describe('rdd CLI input and failures', () => {
  const instance = new TestInstance(uniqueInstance('cli'));

  afterAll(() => instance.dispose());

  it.each([
    ['a malformed instance name', ['svc', 'status', '--instance', 'Bad_Name'], /invalid instance name "Bad_Name"/, {}],
    ['a malformed RDD_INSTANCE', ['svc', 'paths'], /invalid instance name "-x"/, { RDD_INSTANCE: '-x' }],
    ['a bad log level', ['svc', 'status', '--log-level', 'loud'], /valid levels: error, warn, info, debug/, {}],
    ['an unknown path key', ['svc', 'paths', 'nope'], /unknown key "nope"; valid keys: dir, store_dir/, {}],
    ['an unknown flag', ['svc', 'status', '--bogus'], /Nonexistent flag: --bogus/, {}],
    [
      'a mistyped command',
      ['ctl', 'gt', 'containers'],
      /unknown command "ctl gt containers"; did you mean "rdd ctl get"/,
      {},
    ],
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"\. Run rdd --help for every command/, {}],
    [
      'a bad output format',
      ['svc', 'status', '-o', 'xml'],
      /Expected --output=xml to be one of: table, json, yaml/,
      {},
    ],
    ['a malformed duration', ['svc', 'stop', '--timeout', 'soon'], /invalid duration "soon"/, {}],
  ])('should exit 2 naming the problem when given %s', async (_what, args, message, env: NodeJS.ProcessEnv) => {
    const result = await instance.rdd(args, { env });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(fs.existsSync(instance.paths.dir)).toBe(false);
  });

  it('should print every path without creating any, as json and as shell exports', async () => {
    const paths = await instance.json<Record<string, string>>(['svc', 'paths']);
    const shell = await instance.ok(['svc', 'paths', '-o', 'shell']);
    const one = await instance.ok(['svc', 'paths', 'docker_socket']);

    expect(paths).toEqual(instance.paths);
    expect(shell.stdout).toContain(`export RDD_LOG_DIR="${instance.paths.log_dir}"`);
    expect(one.stdout).toBe(`${instance.paths.docker_socket}\n`);
    expect(fs.existsSync(instance.paths.dir)).toBe(false);
  });

  it('should list every App property with its type or values in rdd set --help', async () => {
    const help = await instance.ok(['set', '--help']);

    for (const property of appProperties) {
      expect(help.stdout).toContain(`${property.path}=<${describeType(property.type)}>`);
    }
    expect(fs.existsSync(instance.paths.dir)).toBe(false);
  });

  it('should print its version as text and as json', async () => {
    const text = await instance.ok(['version']);
    const json = await instance.json<{ version: string; node: string }>(['version']);

    expect(text.stdout).toMatch(/^rdd \d+\.\d+\.\d+/);
    expect(json.node).toBe(process.version);
  });

  it('should fail at once with how to get nats-server when it is missing', async () => {
    const result = await instance.rdd(['svc', 'start', '--timeout', '60s'], {
      env: { RDD_NATS_SERVER: '/nonexistent/nats-server' },
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nats-server not found .*apt-get install nats-server/);
  });

  it('should refuse to start on an instance directory that others can write to', async () => {
    fs.mkdirSync(instance.paths.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(instance.paths.dir, 0o777);

    const result = await instance.rdd(['svc', 'start']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refusing to use .* mode 777 lets group or others write/);
    fs.chmodSync(instance.paths.dir, 0o700);
  });

  it('should refuse to start on an instance directory another user owns', async () => {
    fs.mkdirSync(instance.paths.dir, { recursive: true, mode: 0o700 });
    fs.chownSync(instance.paths.dir, 65534, 65534);

    const result = await instance.rdd(['svc', 'start']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refusing to use .* it is owned by uid 65534, not by this user/);
    fs.chownSync(instance.paths.dir, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  });

  it('should say there is nothing to stop when the daemon is not running', async () => {
    const result = await instance.rdd(['svc', 'stop']);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('is not running');
  });
});

describe('rdd get with no daemon running', () => {
  const instance = new TestInstance(uniqueInstance('read'));

  afterAll(() => instance.dispose());

  it('should say how to start it and start nothing, not even for a mistyped instance', async () => {
    const typo = `${instance.name}-typo`;
    const typoPaths = instancePaths(typo, { platform: process.platform, home: instance.home, env: instance.env });

    const result = await instance.rdd(['get']);
    const mistyped = await instance.rdd(['get', '--instance', typo]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `the rdd daemon of instance ${instance.name} is not running; start it with: rdd svc start`,
    );
    expect(mistyped.code).toBe(1);
    expect(mistyped.stderr).toContain(`instance ${typo} is not running`);
    expect(
      [instance.paths.dir, instance.paths.pid_file, typoPaths.dir, typoPaths.pid_file].filter(fs.existsSync),
    ).toEqual([]);
  });

  it('should read once the daemon runs, and refuse again after svc stop without starting it', async () => {
    await instance.ok(['svc', 'start']);
    const whileRunning = await instance.rdd(['get']);
    await instance.ok(['svc', 'stop']);
    const afterStop = await instance.rdd(['get']);

    expect(whileRunning.stderr).toMatch(/App "app" not found/);
    expect(afterStop.code).toBe(1);
    expect(afterStop.stderr).toContain('is not running; start it with: rdd svc start');
    expect((await instance.json<{ running: boolean }>(['svc', 'status'])).running).toBe(false);
  });
});

describe('rdd with standard input a pipe it has no use for', () => {
  const instance = new TestInstance(uniqueInstance('stdin'));
  // Commands that start a daemon or wait for one forever are not for an idle instance.
  const starting = new Set(['run', 'start', 'svc:start', 'svc:run', '__complete']);
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, unknown>;
  };
  const commands = Object.keys(manifest.commands).filter((id) => !starting.has(id));

  afterAll(() => instance.dispose());

  it('should cover every command but the few that start things', () => {
    expect(commands.length).toBeGreaterThanOrEqual(Object.keys(manifest.commands).length - starting.size);
    expect(commands).toEqual(expect.arrayContaining(['ctl:get', 'ctl:delete', 'svc:paths', 'completion']));
  });

  it.each(commands)('should neither read nor wait for stdin: rdd %s', async (id) => {
    const junk = 'zzz-from-stdin';
    const result = await instance.rdd(id.split(':'), { input: `${junk}\n`, holdStdin: true, timeoutMs: 30_000 });

    expect(`${result.stdout}${result.stderr}`).not.toContain(junk);
    expect([0, 1, 2]).toContain(result.code);
    expect(fs.existsSync(instance.paths.dir)).toBe(false);
  });
});

describe('rdd global flags and help', () => {
  const instance = new TestInstance(uniqueInstance('flags'));

  afterAll(() => instance.dispose());

  it.each([
    [['--instance', 'other', 'svc', 'paths', 'dir']],
    [['svc', '--instance=other', 'paths', 'dir']],
    [['svc', 'paths', 'dir', '--instance', 'other']],
  ])('should take --instance anywhere before the arguments: %j', async (...args) => {
    const result = await instance.ok(args[0]);

    expect(result.stdout.trim()).toMatch(/\/other$/);
  });

  it.each([[['-o', 'json', 'svc', 'paths']], [['svc', '-o', 'json', 'paths']], [['svc', 'paths', '-o', 'json']]])(
    'should take -o anywhere before the arguments: %j',
    async (...args) => {
      const result = await instance.ok(args[0]);

      expect(JSON.parse(result.stdout)).toHaveProperty('dir', instance.paths.dir);
    },
  );

  it.each([[['svc', 'paths', '-h']], [['help', 'svc', 'paths']], [['svc', 'paths', '--help']]])(
    'should print the command’s help for %j',
    async (...args) => {
      const result = await instance.ok(args[0]);

      expect(result.stdout).toContain('USAGE');
      expect(result.stdout).toContain('svc paths');
    },
  );
});
