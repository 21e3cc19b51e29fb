/**
 * A hung engine, told truthfully and survived: rdd's own dockerd is frozen with SIGSTOP (its event
 * stream stays open and silent, as in a deadlock), and rdd must report ContainerEngineReady
 * False/NotResponding, keep answering, time a user's wait out with exit 4, and once the engine thaws go
 * back to Connected with the same dockerd, the same running containers and the same mirrors, without
 * reconnecting. Pings run every second here (RDD_ENGINE_PING_SECONDS) so the freeze stays short.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../protocol/app.schema.js';
import { findCondition } from '../protocol/condition.schema.js';
import type { Container } from '../protocol/mirrors/container.schema.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('hang'));
instance.env.RDD_ENGINE_PING_SECONDS = '1';
let engine: EngineSession;
let frozenPid: number | undefined;

/** How long a command may take before the test calls it blocked (generous: the machine is shared). */
const answerBound = { timeoutMs: 20_000 };

beforeAll(async () => {
  engine = await EngineSession.start(instance);
}, 240_000);

afterAll(async () => {
  // Never leave a frozen dockerd behind, whatever failed.
  if (frozenPid) thaw(frozenPid);
  await instance.dispose();
});

function freeze(pid: number): void {
  frozenPid = pid;
  process.kill(pid, 'SIGSTOP');
}

function thaw(pid: number): void {
  process.kill(pid, 'SIGCONT');
  frozenPid = undefined;
}

/** The process state letter from /proc (T: stopped by a signal). */
function processState(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
}

/** The App's ContainerEngineReady once it has `reason`; throws (so `eventually` retries) until then. */
async function engineReadyWith(reason: string): Promise<{ status: string; reason: string; message: string }> {
  const app = await instance.json<App>(['get']);
  const condition = findCondition(app.status.conditions, 'ContainerEngineReady');
  if (condition?.reason !== reason) throw new Error(`ContainerEngineReady is ${JSON.stringify(condition)}`);
  return condition;
}

function connectsLogged(): number {
  const log = fs.readFileSync(path.join(instance.paths.log_dir, 'rdd.log'), 'utf8');
  return log.split('\n').filter((line) => line.includes('Connecting to the engine at')).length;
}

async function mirrorIds(): Promise<string[]> {
  return (await engine.list<Container>('containers')).map((mirror) => mirror.metadata.name).sort();
}

describe('a hung engine (SIGSTOP of rdd’s dockerd)', () => {
  it('should be reported NotResponding, keep rdd answering, and come back Connected with nothing lost', async () => {
    // Arrange: one container that must survive untouched, one the user acts on during the hang.
    const keeper = await engine.docker(['run', '-d', '--init', busyboxImage, 'sleep', '3600']);
    const target = await engine.sleeper();
    const startedAt = await engine.docker(['inspect', '--format', '{{.State.StartedAt}}', keeper]);
    const keeperMirror = await engine.container(keeper);
    // Messages name a container as people know it: by its Docker name.
    const targetName = (await engine.container(target)).status.name;
    await eventually('the engine to be connected', () => engineReadyWith('Connected'));
    const { enginePid } = await instance.json<{ enginePid: number }>(['svc', 'status']);
    const connectsBefore = connectsLogged();

    try {
      // Act: freeze the engine.
      freeze(enginePid);
      // A busy process takes the signal when next scheduled: wait for the kernel to say it stopped.
      await eventually('dockerd to be stopped (state T)', () => {
        const state = processState(enginePid);
        return state === 'T' ? Promise.resolve(state) : Promise.reject(new Error(`state ${state}`));
      });

      // Assert: the silence is reported, naming the socket.
      const silent = await eventually('ContainerEngineReady=False/NotResponding', () =>
        engineReadyWith('NotResponding'),
      );
      expect(silent).toMatchObject({ status: 'False', reason: 'NotResponding' });
      expect(silent.message).toContain(`the engine at ${engine.socket} has not answered since`);

      // Assert: reads go to the store and the daemon, never to the engine.
      const list = await instance.rdd(['ctl', 'get', 'containers', '-o', 'json'], answerBound);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain(keeper);
      const status = await instance.rdd(['svc', 'status', '-o', 'json'], answerBound);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ enginePid });

      // Assert: a wait on the engine gives up on time, with exit 4, saying why.
      const action = await instance.rdd(['ctl', 'action', `container/${target}`, 'stop', '--timeout=5s'], answerBound);
      expect(action.code).toBe(4);
      expect(action.stderr).toContain(`timed out after 5s waiting for stop of container ${targetName}`);
      expect(action.stderr).toContain('ContainerEngineReady=False/NotResponding');
      expect(processState(enginePid)).toBe('T');
    } finally {
      thaw(enginePid);
    }

    // Assert: back to Connected, same dockerd, same connection, the keeper untouched, the mirrors whole.
    await eventually('ContainerEngineReady=True/Connected', () => engineReadyWith('Connected'));
    const after = await instance.json<{ enginePid: number }>(['svc', 'status']);
    expect(after.enginePid).toBe(enginePid);
    expect(connectsLogged()).toBe(connectsBefore);
    expect(await engine.docker(['inspect', '--format', '{{.State.Running}} {{.State.StartedAt}}', keeper])).toBe(
      `true ${startedAt}`,
    );
    expect((await engine.container(keeper)).metadata.creationTimestamp).toBe(keeperMirror.metadata.creationTimestamp);
    // The stop asked for during the hang is carried out once the engine answers.
    await engine.wait([`container/${target}`, `--for=jsonpath={.status.status}=exited`]);
    const engineIds = (await engine.docker(['ps', '-aq', '--no-trunc'])).split('\n').filter(Boolean).sort();
    await eventually('the container mirrors to equal docker ps -a', async () => {
      const ids = await mirrorIds();
      if (JSON.stringify(ids) !== JSON.stringify(engineIds)) throw new Error(`mirrors ${ids.join(', ')}`);
      return true;
    });
  });
});
