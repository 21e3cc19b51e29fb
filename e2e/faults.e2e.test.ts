/**
 * Nothing inside rdd may harm the user's engine or data. Each fault is proven to have happened (a new
 * pid, a restart counted), then everything the user has must be as it was: dockerd's pid, every
 * running container with the same StartedAt, the App spec, every spec.state, mirrors equal to the
 * engine, and a `ctl get -w` watcher attached across all of it caught up with the mirrors.
 */
import { TestInstance, readPid, uniqueInstance } from './support/cli.js';
import {
  ContainerWatcher,
  daemonStatus,
  injectCrash,
  isAlive,
  killFromPidFile,
  mirrorsMatchEngine,
  settledApp,
  survivors,
  type Survivors,
} from './support/faults.js';
import type { Container } from '../protocol/mirrors/container.schema.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('flt10'));
instance.env.RDD_FAULT_INJECTION = '1';
let engine: EngineSession;
let watcher: ContainerWatcher;
let before: Survivors;

const runSleeper = (name: string, ...extra: string[]) =>
  engine.docker(['run', '-d', '--init', '--name', name, ...extra, busyboxImage, 'sleep', '100000']);

beforeAll(async () => {
  engine = await EngineSession.start(instance);
  await runSleeper('keepme');
  const kept = await runSleeper('kept-running');
  await engine.container(kept);
  await instance.ok(['ctl', 'state', `container/${kept}`, 'running']);
  // Paused from created: rdd starts it, then pauses it; its own start must not release the state.
  const held = await engine.docker(['create', '--init', '--name', 'held-paused', busyboxImage, 'sleep', '100000']);
  await engine.container(held);
  await instance.ok(['ctl', 'state', `container/${held}`, 'paused']);
  await engine.wait([`container/${held}`, '--for=jsonpath={.status.status}=paused']);
  await engine.docker(['volume', 'create', 'keep-volume']);
  watcher = new ContainerWatcher(instance);
  before = await survivors(instance, engine);
}, 300_000);

afterAll(async () => {
  watcher?.stop();
  await instance.dispose();
});

async function expectNothingLost(): Promise<void> {
  await mirrorsMatchEngine(engine);
  const after = await survivors(instance, engine);
  expect(after.enginePid).toBe(before.enginePid);
  expect(after.startedAt).toEqual(before.startedAt);
  expect(after.desired).toEqual(before.desired);
  expect(after.appSpec).toEqual(before.appSpec);
  expect(after.appGeneration).toBe(before.appGeneration);
  await watcher.caughtUpWith(engine);
}

/** After the engine itself went away: each held desired state is enforced again and still held. */
async function expectEnforcedAgain(held: [string, string][]): Promise<void> {
  await settledApp(instance);
  for (const [id, state] of held) {
    await engine.wait([`container/${id}`, `--for=jsonpath={.status.status}=${state}`], '90s');
    expect(await engine.jsonpath(['container', id], '{.spec.state}')).toBe(state);
  }
  await mirrorsMatchEngine(engine);
  await watcher.caughtUpWith(engine);
}

describe('what the user has survives every fault inside rdd', () => {
  it('should hold paused and running desired states that rdd reached by starting the container itself', () => {
    expect(Object.values(before.desired).sort()).toEqual(['paused', 'running', 'unknown']);
    expect(Object.keys(before.startedAt)).toHaveLength(3);
  });

  it('should keep dockerd and every container when nats-server is killed -9 while idle', async () => {
    const killed = await killFromPidFile(instance.paths.nats_pid_file);

    const restarted = await eventually('a new nats-server', () => {
      const pid = readPid(instance.paths.nats_pid_file);
      return Promise.resolve(pid !== null && pid !== killed && isAlive(pid) ? pid : null);
    });
    expect(restarted).not.toBe(killed);
    await settledApp(instance);
    const bus = (await daemonStatus(instance)).children.find((child) => child.id === 'bus');
    expect(bus?.restarts).toBeGreaterThanOrEqual(1);
    await expectNothingLost();
  });

  it.each([
    ['root', 'store'],
    ['app', 'app'],
    ['app', 'vm'],
    ['app', 'engine'],
    ['root', 'app'],
  ])('should keep dockerd and every container when a crash is injected into %s/%s', async (supervisor, child) => {
    const restartsOf = async () =>
      (await daemonStatus(instance)).children.find((entry) => entry.supervisor === supervisor && entry.id === child)
        ?.restarts ?? -1;
    const restartsBefore = await restartsOf();

    await injectCrash(instance, supervisor, child);

    await eventually(`${supervisor}/${child} to be restarted`, async () => (await restartsOf()) > restartsBefore);
    await settledApp(instance);
    await expectNothingLost();
  });

  it('should adopt dockerd and converge the mirrors when the daemon is killed -9 during container churn', async () => {
    let churning = true;
    const churn = (async () => {
      for (let round = 0; churning; round++) {
        await engine.docker(['create', '--name', `churn-${round}`, busyboxImage, 'true']);
        if (round % 2 === 0) await engine.docker(['rm', `churn-${round}`]);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const daemonPid = await killFromPidFile(instance.paths.pid_file);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    await instance.ok(['svc', 'start']);
    churning = false;
    await churn;

    expect((await daemonStatus(instance)).pid).not.toBe(daemonPid);
    await settledApp(instance);
    await mirrorsMatchEngine(engine);
    const after = await survivors(instance, engine);
    expect(after.enginePid).toBe(before.enginePid);
    expect(after.startedAt).toEqual(before.startedAt);
    for (const [id, state] of Object.entries(before.desired)) expect(after.desired[id]).toBe(state);
    await watcher.caughtUpWith(engine);
  });
});

describe('desired states outlive a death of the engine that rdd did not ask for', () => {
  it('should restart a dockerd killed -9 and enforce running and paused again without releasing them', async () => {
    const held = Object.entries(before.desired).filter(([, state]) => state !== 'unknown');
    const { enginePid } = await daemonStatus(instance);
    if (enginePid === undefined) throw new Error('no enginePid');

    process.kill(enginePid, 'SIGKILL');

    const restarted = await eventually(
      'a new dockerd',
      async () => {
        const pid = (await daemonStatus(instance)).enginePid;
        return pid !== undefined && pid !== enginePid ? pid : null;
      },
      120_000,
    );
    expect(restarted).not.toBe(enginePid);
    await expectEnforcedAgain(held);
  });
});

describe('desired states outlive an engine stop', () => {
  it('should keep every spec.state across rdd stop and rdd start and enforce it again', async () => {
    const held = Object.entries(before.desired).filter(([, state]) => state !== 'unknown');
    expect(held.length).toBe(2);

    await instance.ok(['stop', '--timeout', '2m']);
    expect(await engine.list<Container>('containers')).toEqual([]);
    await instance.ok(['start', '--timeout', '3m']);

    await expectEnforcedAgain(held);
  });
});
