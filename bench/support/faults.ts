/**
 * The faults of the recovery bench, each done to the bench's own instance: a signal to one of its
 * processes by the pid in its pid file (never by name), or a crash asked of the daemon on its
 * fault-injection subject (a daemon started with RDD_FAULT_INJECTION=1). Each resolves once the fault
 * is done, with `at` (the time recovery is measured from) and `happened`, which resolves once the fault
 * is seen to have taken effect and rejects when it is not.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { isAlive, readPidFile, waitForExit } from '../../host/processes.js';
import { faultInjectionSubject, supervisionWildcard } from '../../protocol/subjects.js';
import { supervisionEventSchema, type SupervisionEvent } from '../../protocol/supervision.schema.js';
import { BusMessages } from './bus.js';
import type { BenchInstance, CliRun } from './instance.js';
import { processState } from './proc.js';
import { fixed, sleep } from './stats.js';

export interface Fault {
  readonly at: number;
  /** Resolves to what was seen (for the report's notes). */
  readonly happened: Promise<string>;
}

const seenWithinMs = 60_000;

/** The daemon's supervision telemetry, every event of every supervisor. */
export class SupervisionEvents extends BusMessages<SupervisionEvent> {
  constructor(nc: NatsConnection, instance: string) {
    super(nc, supervisionWildcard(instance), supervisionEventSchema);
  }
}

async function required<T>(found: Promise<T | undefined>, what: string): Promise<T> {
  const value = await found;
  if (value === undefined) throw new Error(`${what} was not seen within ${seenWithinMs / 1000} s`);
  return value;
}

/** A pid from `file` that is alive and not `old`: the process that replaced it. */
async function replacement(file: string, old: number, what: string): Promise<number> {
  const deadline = Date.now() + seenWithinMs;
  while (Date.now() < deadline) {
    const pid = await readPidFile(file);
    if (pid !== null && pid !== old && isAlive(pid)) return pid;
    await sleep(50);
  }
  throw new Error(`no new ${what} in ${file} within ${seenWithinMs / 1000} s`);
}

async function livePid(file: string, what: string): Promise<number> {
  const pid = await readPidFile(file);
  if (pid === null || !isAlive(pid)) throw new Error(`no live ${what}: ${file} holds ${pid ?? 'nothing'}`);
  return pid;
}

async function killed(pid: number, what: string): Promise<void> {
  if (!(await waitForExit(pid, 10_000))) throw new Error(`${what} ${pid} outlived SIGKILL`);
}

/** kill -9 of the instance's nats-server; seen when the daemon has started another. */
export async function killNatsServer(instance: BenchInstance): Promise<Fault> {
  const file = instance.paths.nats_pid_file;
  const old = await livePid(file, 'nats-server');
  const at = Date.now();
  process.kill(old, 'SIGKILL');
  const happened = (async () => {
    await killed(old, 'nats-server');
    const started = await replacement(file, old, 'nats-server');
    return `nats-server ${old} killed, ${started} running ${fixed((Date.now() - at) / 1000, 2)} s after the kill`;
  })();
  return { at, happened };
}

/** One child crashed through the daemon's fault-injection hook; seen when its supervisor restarted it. */
export async function injectCrash(
  nc: NatsConnection,
  instance: BenchInstance,
  supervision: SupervisionEvents,
  supervisor: string,
  child: string,
): Promise<Fault> {
  const at = Date.now();
  const reply = await nc.request(faultInjectionSubject(instance.name), JSON.stringify({ supervisor, child }), {
    timeout: 5_000,
  });
  const answer = reply.json<{ ok: boolean; error?: string }>();
  if (!answer.ok) throw new Error(`the daemon refused to crash ${supervisor}/${child}: ${answer.error ?? '?'}`);
  const ofChild = (event: SupervisionEvent): boolean => event.supervisor === supervisor && event.child === child;
  const happened = (async () => {
    const within = (type: SupervisionEvent['type']) =>
      required(
        supervision.next(at, (event) => ofChild(event) && event.type === type, seenWithinMs),
        `${type} of ${supervisor}/${child}`,
      );
    await within('crashed');
    const restarting = await within('restarting');
    await within('started');
    return `${supervisor}/${child} crashed and restarted (backoff ${fixed(restarting.type === 'restarting' ? restarting.delayMs : null, 0)} ms)`;
  })();
  return { at, happened };
}

/** kill -9 of the daemon, then `rdd svc start`; seen when a new daemon runs. */
export async function killDaemon(instance: BenchInstance): Promise<Fault & { start: Promise<CliRun> }> {
  const file = instance.paths.pid_file;
  const old = await livePid(file, 'daemon');
  const natsBefore = instance.natsPid();
  const at = Date.now();
  process.kill(old, 'SIGKILL');
  await killed(old, 'daemon');
  const start = instance.ok(['svc', 'start']);
  const happened = (async () => {
    const { ms } = await start;
    const daemon = await replacement(file, old, 'daemon');
    const nats = instance.natsPid();
    const natsNote =
      nats === natsBefore ? `nats-server ${nats ?? '?'} kept` : `nats-server ${natsBefore ?? '?'} → ${nats ?? '?'}`;
    return `daemon ${old} killed; \`svc start\` took ${fixed(ms / 1000, 2)} s, daemon ${daemon}, ${natsNote}`;
  })();
  return { at, happened, start };
}

/**
 * SIGSTOP of dockerd for `seconds`, then SIGCONT; `at` is the SIGCONT. `during` reads the App while it
 * is stopped, so the report can say whether rdd noticed. dockerd is continued even when that read fails.
 */
export async function freezeDockerd(
  instance: BenchInstance,
  seconds: number,
  during: (until: number) => Promise<string>,
): Promise<Fault> {
  const pid = (await instance.status()).enginePid;
  if (pid === null || !isAlive(pid)) throw new Error(`no live dockerd to stop (svc status says ${pid ?? 'none'})`);
  process.kill(pid, 'SIGSTOP');
  let noticed: string;
  try {
    // The signal is delivered asynchronously: the state may read R for a moment.
    const deadline = Date.now() + 2_000;
    while (processState(pid) !== 'T' && Date.now() < deadline) await sleep(20);
    const state = processState(pid);
    if (state !== 'T')
      throw new Error(`dockerd ${pid} is in state ${state ?? 'gone'} 2 s after SIGSTOP, not T (stopped)`);
    noticed = await during(Date.now() + seconds * 1_000);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  return { at: Date.now(), happened: Promise.resolve(`dockerd ${pid} stopped ${seconds} s; ${noticed}`) };
}
