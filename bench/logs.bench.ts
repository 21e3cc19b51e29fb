/**
 * `make bench-logs`: how fast `rdd ctl logs` streams a big log compared with `docker logs` on the same
 * engine. A container writes about 20 MB of lines and exits; both commands read its whole log into
 * /dev/null a few times and the medians are compared. One run first checks that rdd printed exactly
 * the bytes docker did. Rewrites the "logs" section of docs/performance.md.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { busyboxImage, ensureBusyboxImage } from '../e2e/drivers/busybox-image.js';
import { countFlag, finish, invocation, progress, runMain, withBenchInstance } from './support/entry.js';
import type { BenchInstance } from './support/instance.js';
import { machineInfo, type MachineInfo } from './support/machine.js';
import { writeSection } from './support/report.js';
import { fixed, median } from './support/stats.js';

interface Options {
  runs: number;
  /** The log doubles this many times from one 80-byte line: 18 is 2^18 lines, 20 MiB. */
  doublings: number;
  report: boolean;
}

interface Measured {
  bytes: number;
  rddMs: number[];
  dockerMs: number[];
  /** `rdd ctl logs --tail 0`: the CLI's start, connection and lookup, with no log to stream. */
  rddFloorMs: number[];
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '5' },
      doublings: { type: 'string', default: '18' },
      'no-report': { type: 'boolean', default: false },
    },
    strict: true,
  });
  return {
    runs: countFlag(values.runs, 'runs'),
    doublings: countFlag(values.doublings, 'doublings'),
    report: !values['no-report'],
  };
}

/** Runs a command with its stdout on /dev/null (or counted); resolves to its time and byte count. */
function timed(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  count: boolean,
): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', count ? 'pipe' : 'ignore', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve({ ms, bytes });
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
  });
}

async function measure(instance: BenchInstance, options: Options, measured: Measured): Promise<void> {
  progress('starting the App with the dockerd driver…');
  await instance.ok(['start', '--timeout', '3m']);
  await ensureBusyboxImage(instance.paths.docker_socket);
  const line = `${'x'.repeat(70)} logline`;
  const script =
    `echo ${line} > /tmp/a; i=0; while [ $i -lt ${options.doublings} ]; do ` +
    'cat /tmp/a /tmp/a > /tmp/b; cat /tmp/b > /tmp/a; i=$((i+1)); done; cat /tmp/a';
  progress(`writing ${fixed((2 ** options.doublings * (line.length + 1)) / 2 ** 20)} MiB of logs…`);
  const id = (await instance.docker(['run', '-d', '--name', 'chatty', busyboxImage, 'sh', '-c', script])).stdout.trim();
  await instance.docker(['wait', id]);
  await instance.ok(['ctl', 'wait', 'container/chatty', '--for=jsonpath={.status.status}=exited', '--timeout=60s']);

  const rdd = [path.join(instance.repoRoot, 'bin', 'rdd'), 'ctl', 'logs', 'chatty'];
  const docker = ['-H', `unix://${instance.paths.docker_socket}`, 'logs', 'chatty'];
  const fromRdd = await timed(process.execPath, rdd, instance.env, true);
  const fromDocker = await timed('docker', docker, instance.env, true);
  if (fromRdd.bytes !== fromDocker.bytes) {
    throw new Error(`rdd ctl logs printed ${fromRdd.bytes} bytes, docker logs ${fromDocker.bytes}`);
  }
  measured.bytes = fromDocker.bytes;
  for (let run = 1; run <= options.runs; run += 1) {
    measured.rddMs.push((await timed(process.execPath, rdd, instance.env, false)).ms);
    measured.dockerMs.push((await timed('docker', docker, instance.env, false)).ms);
    measured.rddFloorMs.push((await timed(process.execPath, [...rdd, '--tail', '0'], instance.env, false)).ms);
    progress(
      `run ${run}/${options.runs}: rdd ${fixed(measured.rddMs.at(-1)!, 0)} ms, docker ${fixed(measured.dockerMs.at(-1)!, 0)} ms`,
    );
  }
}

function reportLines(machine: MachineInfo, command: string, measured: Measured): string[] {
  const rdd = median(measured.rddMs);
  const docker = median(measured.dockerMs);
  const floor = median(measured.rddFloorMs);
  const mib = measured.bytes / 2 ** 20;
  return [
    '## Container logs (`make bench-logs`)',
    '',
    `Measured ${machine.date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpu}, ${machine.cores} cores, ` +
      `${machine.ramGiB} GiB RAM, node ${machine.node}, dockerd ${machine.dockerd}, nats-server ${machine.natsServer}; ` +
      `load average at start ${machine.loadAverage} (1/5/15 min). Command: \`${command}\`.`,
    '',
    `An exited container's whole log (${fixed(mib)} MiB, 80-byte lines) read into /dev/null, median of ` +
      `${measured.rddMs.length} runs each; rdd's output was first checked to be byte for byte as long as docker's. ` +
      "rdd's time includes its CLI start (node) and the hop through the daemon and the bus with credit-based flow control.",
    '',
    '| command | median | throughput |',
    '|---|---|---|',
    `| \`docker logs\` | ${fixed(docker, 0)} ms | ${fixed(mib / (docker / 1000))} MiB/s |`,
    `| \`rdd ctl logs\` | ${fixed(rdd, 0)} ms | ${fixed(mib / (rdd / 1000))} MiB/s |`,
    `| \`rdd ctl logs --tail 0\` (start-up, no log) | ${fixed(floor, 0)} ms | |`,
    '',
    `Ratio rdd / docker: **${fixed(rdd / docker, 2)}**; streaming alone (rdd minus its start-up) ` +
      `${fixed(mib / (Math.max(1, rdd - floor) / 1000))} MiB/s.`,
  ];
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const machine = await machineInfo();
  const measured: Measured = { bytes: 0, rddMs: [], dockerMs: [], rddFloorMs: [] };
  const { failure } = await withBenchInstance({}, (instance) => measure(instance, options, measured));
  const complete = measured.rddMs.length > 0;
  const lines = complete ? reportLines(machine, invocation('logs.bench.js'), measured) : [];
  if (complete) console.log(lines.join('\n'));
  const write = options.report && complete ? (file: string) => writeSection(file, 'logs', lines) : undefined;
  return finish(failure, write);
}

runMain(main);
