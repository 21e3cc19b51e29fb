/**
 * `make bench-recovery`: how long rdd takes to recover from each fault inside it (issue 10: nothing
 * inside rdd may harm the user's engine or data), reported and never asserted. One isolated instance
 * with the dockerd driver and N containers; for each fault, the wall time from the fault until the App
 * is Settled=True with ContainerEngineReady=True and the Container mirrors equal the engine's
 * `docker ps -a` again, and whether dockerd and every running container lived through it.
 *
 *   node dist/bench/bench/recovery.bench.js [--containers 50] [--running 5] [--paused 3]
 *     [--only nats-kill,crash-app-vm,…] [--freeze-seconds 15] [--cooldown 12] [--no-report]
 */
import { parseArgs } from 'node:util';
import Docker from 'dockerode';
import { ensureBusyboxImage } from '../e2e/drivers/busybox-image.js';
import { describeError } from '../protocol/errors.js';
import { syncTriggers } from '../protocol/mirrors/commands.schema.js';
import { ResourceStore } from '../client/store.js';
import { connectInstanceBus, SyncReports } from './support/bus.js';
import { countFlag, finish, invocation, progress, runMain, UsageError, withBenchInstance } from './support/entry.js';
import {
  freezeDockerd,
  injectCrash,
  killDaemon,
  killNatsServer,
  SupervisionEvents,
  type Fault,
} from './support/faults.js';
import { syncReportFromLog, type BenchInstance } from './support/instance.js';
import { machineInfo } from './support/machine.js';
import { writeSection } from './support/report.js';
import { awaitRecovery, readiness, resynced, snapshotEngine, survival, unreadable } from './support/recovery.js';
import { recoveryReportLines, type RecoveryRow } from './support/recovery-report.js';
import { fixed, sleep } from './support/stats.js';
import { populate } from './sync.bench.js';

interface FaultContext {
  readonly instance: BenchInstance;
  readonly nc: Awaited<ReturnType<typeof connectInstanceBus>>;
  readonly supervision: SupervisionEvents;
  readonly freezeSeconds: number;
}

interface Scenario {
  readonly id: string;
  readonly what: string;
  /**
   * The fault makes the engine connection sync again (its actor or the bus restarts): recovery waits for
   * that sync too, since until it ends the App read from the store may still say what it said before.
   */
  readonly resyncs: boolean;
  readonly inflict: (context: FaultContext) => Promise<Fault>;
}

const crash = (supervisor: string, child: string, resyncs: boolean): Scenario => ({
  id: `crash-${supervisor}-${child}`,
  resyncs,
  what: `crash injected into ${supervisor}/${child}`,
  inflict: ({ nc, instance, supervision }) => injectCrash(nc, instance, supervision, supervisor, child),
});

/** Root faults are kept apart by other scenarios: the root supervisor allows 5 restarts a minute. */
const scenarios: readonly Scenario[] = [
  {
    id: 'nats-kill',
    what: 'kill -9 of nats-server',
    resyncs: true,
    inflict: ({ instance }) => killNatsServer(instance),
  },
  crash('app', 'app', false),
  crash('root', 'store', true),
  // The VM actor's restart sends the engine connection back to waiting for the VM, then reconnecting.
  crash('app', 'vm', true),
  crash('root', 'app', true),
  crash('app', 'engine', true),
  {
    id: 'dockerd-freeze',
    resyncs: false,
    what: 'SIGSTOP of dockerd, SIGCONT after the pause (timed from SIGCONT)',
    inflict: ({ instance, nc, freezeSeconds }) =>
      freezeDockerd(instance, freezeSeconds, (until) => watchWhileFrozen(nc, instance.name, until)),
  },
  {
    id: 'daemon-kill',
    what: 'kill -9 of the daemon, then `rdd svc start`',
    resyncs: true,
    inflict: ({ instance }) => killDaemon(instance),
  },
];

/** What the App said while dockerd was stopped: whether rdd noticed. */
async function watchWhileFrozen(nc: FaultContext['nc'], instance: string, until: number): Promise<string> {
  const store = await ResourceStore.open(nc, instance);
  const seen = new Set<string>();
  while (Date.now() < until) {
    const { seen: now } = await readiness(store).catch(() => ({ seen: [unreadable] }));
    for (const text of now) if (!text.includes('=True/')) seen.add(text);
    await sleep(200);
  }
  return seen.size > 0 ? `while stopped the App showed ${[...seen].join(', ')}` : 'the App showed ready throughout';
}

interface Options {
  readonly containers: number;
  readonly running: number;
  readonly paused: number;
  readonly only: readonly Scenario[];
  readonly freezeSeconds: number;
  readonly cooldownSeconds: number;
  readonly report: boolean;
}

const usage =
  'usage: recovery.bench.js [--containers N (50)] [--running N (5)] [--paused N (3)] ' +
  `[--only ${scenarios.map((s) => s.id).join(',')}] [--freeze-seconds N (15)] [--cooldown N (12)] [--no-report]`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      containers: { type: 'string', default: '50' },
      running: { type: 'string', default: '5' },
      paused: { type: 'string', default: '3' },
      only: { type: 'string', default: scenarios.map((s) => s.id).join(',') },
      'freeze-seconds': { type: 'string', default: '15' },
      cooldown: { type: 'string', default: '12' },
      'no-report': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const wanted = values.only.split(',').map((id) => id.trim());
  for (const id of wanted) {
    if (!scenarios.some((s) => s.id === id)) throw new UsageError(`unknown scenario "${id}" in --only; ${usage}`);
  }
  const options = {
    containers: countFlag(values.containers, 'containers'),
    running: countFlag(values.running, 'running', 0),
    paused: countFlag(values.paused, 'paused', 0),
    only: scenarios.filter((s) => wanted.includes(s.id)),
    freezeSeconds: countFlag(values['freeze-seconds'], 'freeze-seconds'),
    cooldownSeconds: countFlag(values.cooldown, 'cooldown', 0),
    report: !values['no-report'],
  };
  if (options.running + options.paused > options.containers) {
    throw new UsageError(
      `--running ${options.running} and --paused ${options.paused} need at least that many --containers`,
    );
  }
  return options;
}

/** Gives the first containers spec.state running, the next ones paused, and waits until the engine agrees. */
async function convergeStates(instance: BenchInstance, docker: Docker, ids: readonly string[], options: Options) {
  const wanted = new Map<string, string>([
    ...ids.slice(0, options.running).map((id) => [id, 'running'] as const),
    ...ids.slice(options.running, options.running + options.paused).map((id) => [id, 'paused'] as const),
  ]);
  progress(`rdd ctl state: ${options.running} containers running, ${options.paused} paused…`);
  for (const [id, state] of wanted) await instance.ok(['ctl', 'state', `container/${id}`, state]);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const states = new Map((await docker.listContainers({ all: true })).map(({ Id, State }) => [Id, State]));
    const behind = [...wanted].filter(([id, state]) => states.get(id) !== state);
    if (behind.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${behind.length} containers never reached their spec.state`);
    await sleep(250);
  }
}

const recoveryTimeoutMs = 180_000;

async function runScenario(context: FaultContext, docker: Docker, scenario: Scenario): Promise<RecoveryRow> {
  const { instance, nc } = context;
  progress(`${scenario.id}: ${scenario.what}…`);
  const before = await snapshotEngine(instance, docker);
  const fault = await scenario.inflict(context);
  const happened = scenario.resyncs
    ? fault.happened.then(async (seen) => (await resynced(instance, fault.at), seen))
    : fault.happened;
  const recovery = await awaitRecovery(nc, instance.name, docker, fault.at, happened, recoveryTimeoutMs);
  const seen = await happened;
  const sync = syncReportFromLog(instance, fault.at, syncTriggers);
  const row: RecoveryRow = {
    id: scenario.id,
    what: scenario.what,
    seconds: recovery.ms / 1000,
    dips: recovery.dips,
    ...(await survival(before, instance, docker)),
    notes: [
      seen,
      sync
        ? `first sync after it: ${sync.trigger}, ${sync.durationMs} ms (${sync.created} created, ${sync.updated} updated, ${sync.removed} removed)`
        : 'no sync after it',
    ],
  };
  progress(
    `${scenario.id}: recovered in ${fixed(row.seconds, 2)} s; dockerd ${row.dockerd}, containers ${row.containers}`,
  );
  return row;
}

async function measure(instance: BenchInstance, options: Options, rows: RecoveryRow[]): Promise<void> {
  progress(`starting instance ${instance.name} with fault injection (HOME ${instance.home})…`);
  await instance.ok(['svc', 'start']);
  await instance.ok(['start']);
  await ensureBusyboxImage(instance.paths.docker_socket);
  const docker = new Docker({ socketPath: instance.paths.docker_socket });
  // The daemon's role: only it may ask for a crash on the fault-injection subject.
  const nc = await connectInstanceBus(instance.paths.daemon_creds_file, 'rdd-bench-recovery');
  const reports = new SyncReports(nc, instance.name);
  const supervision = new SupervisionEvents(nc, instance.name);
  try {
    const context = { instance, docker, nc, reports, containers: options.containers, progress };
    const { ids } = await populate(context);
    await convergeStates(instance, docker, ids, options);
    await awaitRecovery(nc, instance.name, docker, Date.now(), Promise.resolve(), recoveryTimeoutMs);
    const faultContext: FaultContext = { instance, nc, supervision, freezeSeconds: options.freezeSeconds };
    for (const [index, scenario] of options.only.entries()) {
      if (index > 0) await sleep(options.cooldownSeconds * 1_000);
      try {
        rows.push(await runScenario(faultContext, docker, scenario));
      } catch (error) {
        progress(`${scenario.id} failed: ${describeError(error)}`);
        rows.push({
          id: scenario.id,
          what: scenario.what,
          seconds: null,
          dips: [],
          dockerd: '?',
          containers: '?',
          notes: [describeError(error)],
        });
        // A daemon that did not come back would fail every later scenario the same way.
        await awaitRecovery(nc, instance.name, docker, Date.now(), Promise.resolve(), 60_000);
      }
    }
  } finally {
    supervision.stop();
    reports.stop();
    await nc.close().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const machine = await machineInfo();
  const rows: RecoveryRow[] = [];
  const { failure } = await withBenchInstance({ RDD_FAULT_INJECTION: '1' }, (instance) =>
    measure(instance, options, rows),
  );
  const lines = recoveryReportLines({ machine, command: invocation('recovery.bench.js'), options, rows });
  console.log(lines.join('\n'));
  const write = options.report && rows.length > 0 ? (file: string) => writeSection(file, 'recovery', lines) : undefined;
  return finish(failure, write);
}

runMain(main);
