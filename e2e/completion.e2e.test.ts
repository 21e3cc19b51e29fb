/**
 * Shell completion as a user gets it: the script `rdd completion bash|zsh` prints, loaded into the real
 * bash (and zsh), answering the words a TAB would send, against a running instance with a named
 * container, and against an instance whose daemon does not run (nothing offered, nothing started).
 * Also the help that teaches: examples in `rdd --help` and in each topic's help, through rdd's help class.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { collectOutput, repoRoot, TestInstance, uniqueInstance } from './support/cli.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';

const instance = new TestInstance(uniqueInstance('cmp'));
const containerName = 'completion-web';
let engine: EngineSession;
/** What `rdd completion bash` printed, saved once: it does not depend on the instance. */
let bashScriptFile: string;

/** bin/rdd first on PATH, as after an install, and the node that runs the tests for its shebang. */
function shellEnv(target: TestInstance, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dirs = [path.join(repoRoot, 'bin'), path.dirname(process.execPath), process.env.PATH ?? ''];
  return { ...target.env, ...env, PATH: dirs.join(':') };
}

function runShell(
  shell: string,
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(shell, shell === 'bash' ? ['--norc', '--noprofile', '-c', script] : ['-f', '-c', script], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  return collectOutput(child, shell, 30_000);
}

function quoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * What bash offers for `line` (the cursor at its end): COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD
 * set as bash sets them (COMP_WORDS split at its word breaks, = and : among them), then the function
 * `complete -p rdd` names, called as bash calls it: command, readline's word, the word before.
 */
async function bashCompletions(line: string, target = instance, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const compWords = line.split(/([=:])|\s+/).filter((word) => word !== undefined && word !== '');
  if (/\s$/.test(line) || line === '') compWords.push('');
  const cword = compWords.length - 1;
  const script = [
    `source ${quoted(bashScriptFile)}`,
    'function_name=$(complete -p rdd | sed -n "s/.*-F \\([^ ]*\\) rdd$/\\1/p")',
    `COMP_LINE=${quoted(line)}; COMP_POINT=${line.length}`,
    `COMP_WORDS=(${compWords.map(quoted).join(' ')}); COMP_CWORD=${cword}`,
    `"$function_name" rdd ${quoted(compWords[cword] ?? '')} ${quoted(compWords[cword - 1] ?? '')}`,
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const result = await runShell('bash', script, shellEnv(target, env));
  if (result.code !== 0) throw new Error(`bash exited ${result.code}: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean);
}

beforeAll(async () => {
  bashScriptFile = path.join(instance.home, 'rdd-completion.bash');
  fs.writeFileSync(bashScriptFile, (await instance.ok(['completion', 'bash'])).stdout);
  engine = await EngineSession.start(instance);
  await engine.docker(['create', '--name', containerName, busyboxImage, 'sleep', '3600']);
  await engine.container(containerName);
}, 240_000);

afterAll(() => instance.dispose());

describe('bash completion', () => {
  it('should register a completion function for rdd', async () => {
    const result = await runShell('bash', `source ${quoted(bashScriptFile)}; complete -p rdd`, shellEnv(instance));
    expect(result.stdout.trim()).toBe('complete -F _rdd_completion rdd');
  });

  it('should complete commands, topics and flags', async () => {
    expect(await bashCompletions('rdd ')).toEqual(expect.arrayContaining(['ctl', 'svc', 'machines', 'get', 'version']));
    expect(await bashCompletions('rdd ctl g')).toEqual(['get']);
    expect(await bashCompletions('rdd svc st')).toEqual(['start', 'status', 'stop']);
    expect(await bashCompletions('rdd ctl get --no-h')).toEqual(['--no-headers']);
  });

  it('should complete the kinds after a ctl verb, and the values of -o, also after --output=', async () => {
    expect(await bashCompletions('rdd ctl get ')).toEqual([
      'app',
      'container',
      'image',
      'volume',
      'network',
      'containernamespace',
    ]);
    expect(await bashCompletions('rdd svc status -o ')).toEqual(['table', 'json', 'yaml']);
    // bash replaces only what follows the =, so that is what it is given.
    expect(await bashCompletions('rdd svc status --output=ya')).toEqual(['yaml']);
  });

  it("should complete the names of the instance's containers, as KIND NAME and as KIND/NAME", async () => {
    expect(await bashCompletions('rdd ctl get container ')).toContain(containerName);
    expect(await bashCompletions('rdd ctl describe c completion-')).toEqual([containerName]);
    expect(await bashCompletions('rdd ctl get container/completion-')).toEqual([`container/${containerName}`]);
    expect(await bashCompletions(`rdd ctl state container/${containerName} r`)).toEqual(['running']);
  });

  it('should find the instance named with --instance on the line', async () => {
    const elsewhere = { RDD_INSTANCE: uniqueInstance('cmp-none') };
    expect(await bashCompletions('rdd ctl get container completion-', instance, elsewhere)).toEqual([]);
    const line = `rdd ctl get --instance ${instance.name} container completion-`;
    expect(await bashCompletions(line, instance, elsewhere)).toEqual([containerName]);
  });
});

describe('completion without a running daemon', () => {
  it('should offer no names, quietly, and start nothing and create no instance', async () => {
    const idle = new TestInstance(uniqueInstance('cmp-idle'));
    try {
      const before = JSON.parse((await idle.ok(['svc', 'status', '-o', 'json'])).stdout) as { running: boolean };
      expect(before.running).toBe(false);

      const direct = await idle.rdd(['__complete', '--', 'ctl', 'get', 'container', ''], { input: '' });
      expect(direct).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(await bashCompletions('rdd ctl get container ', idle)).toEqual([]);
      // Words still complete: only the names need the daemon.
      expect(await bashCompletions('rdd ctl get im', idle)).toEqual(['image']);

      const after = JSON.parse((await idle.ok(['svc', 'status', '-o', 'json'])).stdout) as {
        running: boolean;
        created: boolean;
      };
      expect(after).toMatchObject({ running: false, created: false });
      expect(fs.existsSync(idle.paths.dir)).toBe(false);
    } finally {
      fs.rmSync(idle.home, { recursive: true, force: true });
    }
  });
});

describe('zsh completion', () => {
  const zshScriptFile = path.join(instance.home, '_rdd');
  beforeAll(async () => {
    fs.writeFileSync(zshScriptFile, (await instance.ok(['completion', 'zsh'])).stdout);
  });

  it('should be a valid zsh script', async () => {
    const result = await runShell('zsh', `zsh -n ${quoted(zshScriptFile)}`, shellEnv(instance));
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('should offer the names and descriptions rdd gives, through the real zsh', async () => {
    // compsys itself needs a terminal; its two entry points are stood in for so the script's own
    // zsh code runs for real: compdef records the registration, _describe prints what it was given.
    const script = [
      'compdef() { print -r -- "compdef $*"; }',
      '_describe() { print -r -- "describe ${@[5,-1]}"; print -rl -- "${(@P)4}"; }',
      `source ${quoted(zshScriptFile)}`,
      "words=(rdd ctl get container ''); CURRENT=5; _rdd",
      'words=(rdd ctl g); CURRENT=3; _rdd',
      "words=(rdd ctl get ''); CURRENT=4; _rdd",
    ].join('\n');
    const result = await runShell('zsh', script, shellEnv(instance));
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('compdef _rdd rdd');
    expect(lines).toContain(containerName + ':');
    expect(lines).toContain("get:Show the App or the engine's mirrors, like kubectl get");
    expect(lines).toContain('container:Container');
  });
});

describe('help with examples', () => {
  it.each([
    [['--help'], '$ rdd ctl get containers'],
    [['ctl', '--help'], '$ rdd ctl state container/web running'],
    [['help', 'svc'], '$ rdd svc logs -f'],
    [['machines', '-h'], '$ rdd machines export vm --format mermaid'],
  ])('should show examples, each with its description, in the help of %j', async (args, example) => {
    const { stdout } = await instance.ok(args);
    const examples = stdout.slice(stdout.indexOf('EXAMPLES'));
    expect(stdout).toContain('EXAMPLES');
    expect(examples).toContain(example);
    // A description line, a blank line, then the command.
    expect(examples).toMatch(new RegExp(`\\n  \\S[^\\n]*\\n\\n    ${example.replace(/[$.*+?()[\]{}|\\/]/g, '\\$&')}`));
  });

  it('should name every argument in the usage of ctl action', async () => {
    const { stdout } = await instance.ok(['ctl', 'action', '--help']);
    expect(stdout).toContain('$ rdd ctl action container/NAME ACTION [FLAGS]');
  });
});
