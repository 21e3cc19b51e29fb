/**
 * Live views: `rdd watch` shows each mirror change as a line, and `rdd ctl get -w -o json` keeps going
 * across a daemon restart (new bus connection, credentials read again), resuming from its last
 * revision so a change made after the restart arrives exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot, TestInstance, uniqueInstance } from './support/cli.js';
import { EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('wch'));
let engine: EngineSession;

beforeAll(async () => {
  engine = await EngineSession.start(instance);
}, 240_000);

afterAll(() => instance.dispose());

/** A long-running rdd command whose stdout lines are collected. */
class Running {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  private buffer = '';

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'rdd'), ...args], { env: instance.env });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      const parts = this.buffer.split('\n');
      this.buffer = parts.pop() ?? '';
      this.lines.push(...parts);
    });
  }

  seen(pattern: RegExp, what: string): Promise<string> {
    return eventually(
      what,
      () => {
        const line = this.lines.find((candidate) => pattern.test(candidate));
        return line ? Promise.resolve(line) : Promise.reject(new Error(`not yet; stderr: ${this.stderr.join('')}`));
      },
      60_000,
    );
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

describe('live views', () => {
  it('should show mirrors appearing and going, one line per change, in rdd watch', async () => {
    const watch = new Running(['watch']);
    await watch.seen(/mirrors: .*watching for changes/, 'the initial summary');

    await engine.docker(['volume', 'create', 'watched-vol']);
    const added = await watch.seen(/ADDED\s+Volume\s+watched-vol/, 'the volume to be added');
    await engine.docker(['volume', 'rm', 'watched-vol']);
    const deleted = await watch.seen(/DELETED\s+Volume\s+watched-vol/, 'the volume to be deleted');
    watch.stop();

    expect(added).toMatch(/^\d\d:\d\d:\d\d\.\d{3}/);
    expect(deleted).toContain('watched-vol');
  });

  it('should resume a ctl get -w after a daemon restart and deliver a later change exactly once', async () => {
    const watch = new Running(['ctl', 'get', 'volumes', '-w', '-o', 'json']);
    await engine.docker(['volume', 'create', 'before-restart']);
    await watch.seen(/"before-restart"/, 'the first volume');

    await instance.ok(['svc', 'stop']);
    await instance.ok(['svc', 'start']);
    await instance.ok(['start', '--timeout', '2m']);
    await engine.docker(['volume', 'create', 'after-restart']);
    await watch.seen(/"after-restart"/, 'the volume created after the restart');
    watch.stop();

    const events = watch.lines.map(
      (line) => JSON.parse(line) as { type: string; object: { status: { name: string } } },
    );
    const after = events.filter((event) => event.object.status.name === 'after-restart' && event.type === 'ADDED');
    const deletedBefore = events.filter(
      (event) => event.object.status.name === 'before-restart' && event.type === 'DELETED',
    );
    expect(after).toHaveLength(1);
    // The daemon restart kept the mirrors: nothing was deleted and recreated.
    expect(deletedBefore).toEqual([]);
  });
});
