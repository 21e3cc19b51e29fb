/**
 * Reads leave nothing behind on the server: after many runs of every read command (`rdd get`,
 * `ctl get`, `ctl describe`, `svc status`), waits (`ctl wait`, `rdd start` on a running App) and a
 * `ctl get -w` ended with Ctrl-C, the instance's streams hold exactly the consumers they held before.
 * A consumer left by a read would only go away after five idle minutes, well after this test looks.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus, readCredentials } from '../protocol/client.js';
import { resourceBucket, supervisionStream } from '../protocol/subjects.js';
import { eventually, repoRoot, TestInstance, uniqueInstance } from './support/cli.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';

const instance = new TestInstance(uniqueInstance('rln'));
let engine: EngineSession;
const containers = ['first', 'second', 'third'];
const streams = [`KV_${resourceBucket(instance.name)}`, supervisionStream(instance.name)];

/** The consumers on the instance's streams, as `stream/name`, read with the daemon's credentials. */
async function consumers(): Promise<string[]> {
  const nc = await connectBus(await readCredentials(instance.paths.daemon_creds_file), { name: 'rdd-e2e-count' });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for (const stream of streams) {
      for await (const info of jsm.consumers.list(stream)) names.push(`${stream}/${info.name}`);
    }
    return names.sort();
  } finally {
    await nc.close();
  }
}

/** Runs `rdd ctl get KIND -w -o json` until its first line, then interrupts it as Ctrl-C does. */
async function interruptedWatch(kind: string): Promise<{ code: number | null; signal: string | null; first: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'rdd'), 'ctl', 'get', kind, '-w', '-o', 'json'], {
    env: instance.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    const first = await eventually(
      `the first line of ctl get ${kind} -w`,
      () => Promise.resolve(stdout.includes('\n') ? (stdout.split('\n')[0] as string) : null),
      30_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; stderr: ${stderr}`);
    });
    child.kill('SIGINT');
    return { ...(await exited), first };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

beforeAll(async () => {
  engine = await EngineSession.start(instance);
  for (const name of containers) await engine.docker(['run', '-d', '--name', name, busyboxImage, 'sleep', '3600']);
  for (const name of containers) await engine.container(name);
}, 240_000);

afterAll(() => instance.dispose());

describe('reads against a running instance', () => {
  it('should leave no consumer on the instance’s streams, however often they run and however they end', async () => {
    const before = await consumers();
    const reads: string[][] = [
      ['get', '-o', 'json'],
      ['ctl', 'get', 'containers', '-o', 'json'],
      ['ctl', 'get', 'container', 'first', '-o', 'json'],
      ['ctl', 'get', 'images', '-o', 'wide'],
      ['ctl', 'describe', 'container', 'second'],
      ['svc', 'status', '-o', 'json'],
    ];

    for (let round = 0; round < 3; round++) {
      await Promise.all(reads.map((args) => instance.ok(args)));
    }
    await engine.wait(['container/third', '--for=jsonpath={.status.status}=running']);
    await instance.ok(['start', '--timeout', '60s']);
    const watch = await interruptedWatch('containers');
    const after = await consumers();

    expect(JSON.parse(watch.first)).toMatchObject({ object: { kind: 'Container' } });
    // Ended by its own handler (exit 0), not killed by the signal before it could clean up.
    expect({ code: watch.code, signal: watch.signal }).toEqual({ code: 0, signal: null });
    expect(after).toEqual(before);
  }, 120_000);

  it('should list every container it was asked for, so the count above was of working reads', async () => {
    const names = (await engine.list('containers')).map((mirror) => (mirror.status as { name?: string }).name);

    expect(names).toEqual(expect.arrayContaining(containers));
  });
});
