/**
 * The CLI's results and interruptions, against one real instance: `-o json|yaml` on the commands that
 * change things (the App, or the mirrors as last seen), the same svc status keys with the daemon down,
 * Ctrl-C during a wait (what goes on, the command that follows it, exit 130, and that command working),
 * and `ctl action stop -t` as docker stop -t on a container that ignores SIGTERM.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { App } from '../protocol/app.schema.js';
import type { Container } from '../protocol/mirrors/container.schema.js';
import { repoRoot, TestInstance, uniqueInstance, type CliResult } from './support/cli.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('out'));
let engine: EngineSession;

afterAll(() => instance.dispose());

/** Runs rdd, sends it SIGINT once `ready` says so (polled), and collects how it ended. */
async function interrupted(args: string[], ready: (stderr: string) => Promise<boolean>): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'rdd'), ...args], { env: instance.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  try {
    await eventually(`rdd ${args.join(' ')} to be waiting`, () => ready(stderr), 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  child.kill('SIGINT');
  return { code: await exited, stdout, stderr };
}

/** The command an interrupted wait prints after "follow it with:", as words (single quotes removed). */
function followCommand(stderr: string): string[] {
  const line = /follow it with: rdd (.+)$/m.exec(stderr)?.[1];
  if (!line) throw new Error(`no follow command in: ${stderr}`);
  return [...line.matchAll(/(?:[^\s']+|'[^']*')+/g)].map(([word]) => word.replace(/'/g, ''));
}

describe('with the daemon down', () => {
  it('should print svc status -o json with the same keys as when it runs, unknown values null', async () => {
    const down = await instance.json<Record<string, unknown>>(['svc', 'status']);

    expect(down).toMatchObject({ running: false, pid: null, startedAt: null, children: null, rejected: null });
    await instance.ok(['svc', 'start']);
    const up = await instance.json<Record<string, unknown>>(['svc', 'status']);
    expect(Object.keys(up).sort()).toEqual(Object.keys(down).sort());
    expect(up.running).toBe(true);
  });

  it('should take -o on machines export, with --format kept as the same choice', async () => {
    const byOutput = await instance.ok(['machines', 'export', 'vm', '-o', 'mermaid']);

    expect(byOutput.stdout).toMatch(/^stateDiagram-v2/);
    expect((await instance.ok(['machines', 'export', 'vm', '--format', 'mermaid'])).stdout).toBe(byOutput.stdout);
  });
});

describe('Ctrl-C during rdd start', () => {
  it('should say the engine keeps starting, name the wait that follows it, and exit 130', async () => {
    const result = await interrupted(['start'], (stderr) => Promise.resolve(/App changed/.test(stderr)));

    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(
      /Interrupted: the engine keeps starting in the background \(App generation \d+\); follow it with: rdd ctl wait app\/app --for=condition=Settled/,
    );
    // The printed command works, and the start completes without this CLI.
    await instance.ok(followCommand(result.stderr));
    const app = await instance.json<App>(['ctl', 'get', 'app', 'app']);
    expect(app.spec.running).toBe(true);
  }, 240_000);

  it('should print the App with -o json on start and on a set that changes nothing', async () => {
    engine = await EngineSession.start(instance);
    const started = await instance.json<App>(['start']);
    const set = await instance.json<App>(['set', 'running=true']);

    expect(started).toMatchObject({ kind: 'App', spec: { running: true } });
    expect(set.metadata.generation).toBe(started.metadata.generation);
  }, 240_000);
});

describe('ctl action stop -t on a container that ignores SIGTERM', () => {
  let id: string;
  const runStubborn = async (dockerRunFlags: string[] = []): Promise<string> => {
    const created = await engine.docker([
      'run',
      '-d',
      ...dockerRunFlags,
      busyboxImage,
      'sh',
      '-c',
      'trap "" TERM; sleep 1000',
    ]);
    await engine.container(created);
    return created;
  };

  beforeAll(async () => {
    id = await runStubborn();
  });

  it('should refuse a grace period out of bounds, naming the allowed values', async () => {
    const result = await instance.rdd(['ctl', 'action', `container/${id}`, 'stop', '-t', '101']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/whole number of seconds from 0 to 100/);
    expect(await engine.jsonpath(['container', id], '{.status.status}')).toBe('running');
  });

  it('should kill it once -t 1 runs out, not after its own 300 s stop timeout', async () => {
    // Its own grace period outlasts the CLI's --timeout: only -t reaching the engine lets the stop finish.
    const patient = await runStubborn(['--stop-timeout', '300']);
    const result = await instance.rdd([
      'ctl',
      'action',
      `container/${patient}`,
      'stop',
      '-t',
      '1',
      '--timeout',
      '60s',
      '-o',
      'json',
    ]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ lastAction: { action: 'stop', state: 'Succeeded' } });
    // Killed, not stopped by its own choice: SIGKILL's exit status.
    expect(await engine.docker(['inspect', '-f', '{{.State.ExitCode}}', patient])).toBe('137');
  }, 90_000);

  it('should say on Ctrl-C that the stop goes on, and the printed wait should see it finish', async () => {
    const stubborn = await runStubborn();
    const result = await interrupted(['ctl', 'action', `container/${stubborn}`, 'stop', '-t', '4'], async () => {
      const state = await engine.jsonpath(['container', stubborn], '{.status.lastAction.state}');
      return state === 'Running';
    });

    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/Interrupted: the stop of container \S+ goes on in the background; follow it with: /);
    await instance.ok(followCommand(result.stderr));
    expect(await engine.jsonpath(['container', stubborn], '{.status.lastAction.state}')).toBe('Succeeded');
    expect(await engine.jsonpath(['container', stubborn], '{.status.status}')).toBe('exited');
  }, 60_000);
});

describe('-o on ctl wait and ctl delete', () => {
  it('should print the object that met the condition, then the deleted one as last seen', async () => {
    const id = await engine.docker(['run', '-d', busyboxImage, 'sleep', '1000']);
    const mirror = await engine.container(id);
    const name = `container/${mirror.metadata.name}`;

    const met = JSON.parse(
      (await instance.ok(['ctl', 'wait', name, '--for=create', '-o', 'json'])).stdout,
    ) as Container;
    expect(met).toMatchObject({ kind: 'Container', metadata: { name: mirror.metadata.name } });

    const deleted = await instance.ok(['ctl', 'delete', name, '-o', 'yaml']);
    expect(deleted.stdout).toMatch(new RegExp(`name: ${mirror.metadata.name}`));
    expect(deleted.stdout).toMatch(/kind: Container/);
    const gone = await instance.rdd(['ctl', 'get', name]);
    expect(gone.code).not.toBe(0);
  }, 60_000);
});
