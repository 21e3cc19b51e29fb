/**
 * `rdd ctl logs` against rdd's own dockerd, in the style of the Go original's engine-docker suite:
 * tail, since, timestamps, stdout and stderr on their own streams, a TTY container, a follow that ends
 * by itself when the container stops, and readers that go away mid-stream (Ctrl-C, SIGKILL) leaving
 * no open log stream in the daemon, which goes on serving.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DaemonStatus } from '../protocol/api.schema.js';
import { repoRoot, TestInstance, uniqueInstance } from './support/cli.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('logs'));
let engine: EngineSession;

beforeAll(async () => {
  engine = await EngineSession.start(instance);
}, 240_000);

afterAll(() => instance.dispose());

/** Runs a container in the background and waits for its mirror; resolves to its ID. */
async function runContainer(name: string, script: string, dockerFlags: string[] = []): Promise<string> {
  const id = await engine.docker(['run', '-d', '--name', name, ...dockerFlags, busyboxImage, 'sh', '-c', script]);
  await engine.container(id);
  return id;
}

/** Waits until the engine has logged `text` for `name`, so a read sees a whole log. */
async function loggedByEngine(name: string, text: string): Promise<void> {
  await eventually(`${name} logs ${text}`, async () => (await engine.docker(['logs', name], 10_000)).includes(text));
}

const lines = (text: string): string[] => text.split(/\r?\n/).filter((line) => line !== '');

async function openLogStreams(): Promise<number> {
  return (await instance.json<{ logStreams: number | null }>(['svc', 'status'])).logStreams ?? -1;
}

/** A reader that keeps running: `rdd ctl logs -f`, with what it printed so far. */
function follow(args: string[]): { child: ChildProcess; stdout: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'rdd'), 'ctl', 'logs', '-f', ...args], {
    env: instance.env,
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  return { child, stdout: () => stdout, exited };
}

describe('reading a whole log', () => {
  let id: string;

  beforeAll(async () => {
    id = await runContainer('mixed', 'for i in 1 2 3; do echo out$i; echo err$i >&2; done; echo end; sleep 3600');
    await loggedByEngine('mixed', 'end');
  });

  it('should print stdout on stdout and stderr on stderr, by Docker name or container/ID', async () => {
    for (const target of ['mixed', `container/${id}`, `container/${id.slice(0, 12)}`]) {
      const result = await instance.rdd(['ctl', 'logs', target]);

      expect(result.code).toBe(0);
      expect(lines(result.stdout)).toEqual(['out1', 'out2', 'out3', 'end']);
      expect(lines(result.stderr)).toEqual(['err1', 'err2', 'err3']);
    }
  });

  it('should print only the last lines with --tail, as docker logs --tail does', async () => {
    const lastThree = await instance.rdd(['ctl', 'logs', 'mixed', '--tail', '3']);
    const none = await instance.rdd(['ctl', 'logs', 'mixed', '--tail', '0']);
    const all = await instance.rdd(['ctl', 'logs', 'mixed', '--tail', '-1']);
    // How this engine counts lines across the two streams is its own (a tail per stream, or not): rdd
    // passes on what it sends.
    const docker = await engine.docker(['logs', '--tail', '3', 'mixed']);

    expect([lastThree.code, none.code, all.code]).toEqual([0, 0, 0]);
    expect(lines(lastThree.stdout)).toEqual(lines(docker));
    expect(lines(lastThree.stdout).length + lines(lastThree.stderr).length).toBeLessThan(7);
    expect(none.stdout + none.stderr).toBe('');
    expect(lines(all.stdout)).toEqual(['out1', 'out2', 'out3', 'end']);
    expect(lines(all.stderr)).toEqual(['err1', 'err2', 'err3']);
  });

  it('should prefix every line with the engine’s RFC 3339 time with --timestamps', async () => {
    const result = await instance.rdd(['ctl', 'logs', 'container/mixed', '--timestamps']);

    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toHaveLength(4);
    for (const line of lines(result.stdout)) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (out\d|end)$/);
  });

  it('should refuse a bad --since or --tail with exit 2, naming what is allowed', async () => {
    const since = await instance.rdd(['ctl', 'logs', 'mixed', '--since', 'yesterday']);
    const tail = await instance.rdd(['ctl', 'logs', 'mixed', '--tail', '-5']);

    expect([since.code, tail.code]).toEqual([2, 2]);
    expect(since.stderr).toMatch(/invalid --since "yesterday": use a duration \(5s, 2m, 3h.*RFC 3339/);
    expect(tail.stderr).toMatch(/invalid --tail "-5": use a number of lines \(0 or more\), or -1 for all/);
  });

  it('should fail a container that does not exist with exit 1, naming it', async () => {
    const result = await instance.rdd(['ctl', 'logs', 'no-such-container']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/container "no-such-container" not found/);
  });

  it('should refuse a kind other than container', async () => {
    const result = await instance.rdd(['ctl', 'logs', `image/${busyboxImage}`]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/works on Container only, not Image/);
  });
});

describe('--since', () => {
  beforeAll(async () => {
    await runContainer('early-late', 'echo early; sleep 2; echo late; sleep 3600');
    await loggedByEngine('early-late', 'late');
  });

  it('should print only the lines from a time on, and every line from a duration ago that covers them', async () => {
    const stamped = lines((await instance.ok(['ctl', 'logs', 'early-late', '--timestamps'])).stdout);
    const lateAt = stamped.find((line) => line.endsWith(' late'))?.split(' ')[0] ?? '';

    const fromLate = await instance.rdd(['ctl', 'logs', 'early-late', '--since', lateAt]);
    const lastHour = await instance.rdd(['ctl', 'logs', 'early-late', '--since', '1h']);

    expect(lateAt).toMatch(/^\d{4}-/);
    expect(lines(fromLate.stdout)).toEqual(['late']);
    expect(lines(lastHour.stdout)).toEqual(['early', 'late']);
  });
});

describe('a TTY container', () => {
  it('should print its one raw stream, both of its outputs, on stdout', async () => {
    await runContainer('tty', 'echo tty-out; echo tty-err >&2; sleep 3600', ['-t']);
    // A TTY container's stderr is in its one stream, which `docker logs` prints on stdout.
    await loggedByEngine('tty', 'tty-err');

    const result = await instance.rdd(['ctl', 'logs', 'tty']);

    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual(['tty-out', 'tty-err']);
    expect(result.stderr).toBe('');
  });
});

describe('following', () => {
  it('should print new lines as they come and exit 0 by itself when the container stops', async () => {
    // It finishes once the test says so, so the reader is surely following when the last line comes.
    await runContainer('short', 'echo begin; while [ ! -f /tmp/go ]; do sleep 0.1; done; echo finish');
    const reader = follow(['short']);

    await eventually('the first line', () => Promise.resolve(reader.stdout().includes('begin')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reader.stdout()).not.toContain('finish');
    await engine.docker(['exec', 'short', 'sh', '-c', ': > /tmp/go']);

    expect(await reader.exited).toBe(0);
    expect(lines(reader.stdout())).toEqual(['begin', 'finish']);
    expect(await openLogStreams()).toBe(0);
  }, 30_000);

  describe('a reader that goes away mid-stream', () => {
    beforeAll(async () => {
      await runContainer('chatty', 'while true; do echo tick; sleep 0.1; done');
    });

    it('should exit 130 on Ctrl-C and leave no open stream in the daemon', async () => {
      const reader = follow(['chatty']);
      await eventually('ticks', () => Promise.resolve(reader.stdout().includes('tick')));
      expect(await openLogStreams()).toBe(1);

      reader.child.kill('SIGINT');

      expect(await reader.exited).toBe(130);
      await eventually('no log stream', async () => (await openLogStreams()) === 0, 3_000);
    }, 30_000);

    it('should leave no open stream within a few seconds of a SIGKILL, and the daemon goes on serving', async () => {
      const daemonPid = (await instance.json<DaemonStatus>(['svc', 'status'])).pid;
      const reader = follow(['chatty']);
      await eventually('ticks', () => Promise.resolve(reader.stdout().includes('tick')));
      expect(await openLogStreams()).toBe(1);

      reader.child.kill('SIGKILL');
      await reader.exited;

      // No cancel comes from a killed reader: its missing heartbeat is what ends the stream.
      await eventually('no log stream', async () => (await openLogStreams()) === 0, 10_000);
      expect((await instance.json<DaemonStatus>(['svc', 'status'])).pid).toBe(daemonPid);
      expect(lines((await instance.ok(['ctl', 'logs', 'chatty', '--tail', '1'])).stdout)).toEqual(['tick']);
    }, 30_000);
  });
});
