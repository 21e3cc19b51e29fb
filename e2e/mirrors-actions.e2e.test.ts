/**
 * Changing containers through their mirrors, against rdd's own dockerd: one-shot actions the way the Go
 * original's scripts do them (annotate, wait, jsonpath), spec.state with the conflict policy and crash
 * restarts, and the mirrors swept or kept as the App stops and image mirroring is switched.
 */
import type { Container } from '../protocol/mirrors/container.schema.js';
import type { Image } from '../protocol/mirrors/image.schema.js';
import { TestInstance, uniqueInstance } from './support/cli.js';
import { busyboxImage, EngineSession } from './support/mirrors.js';
import { eventually } from './support/eventually.js';

const instance = new TestInstance(uniqueInstance('act'));
let engine: EngineSession;

beforeAll(async () => {
  engine = await EngineSession.start(instance);
}, 240_000);

afterAll(() => instance.dispose());

const statusOf = (name: string) => engine.jsonpath(['container', name], '{.status.status}');

/**
 * Each test makes its own container, in the state it starts from, so any test runs alone (`-t`) and
 * none reads what another one left behind.
 */
describe('one-shot actions the way the Go original scripts them (annotate, wait, jsonpath)', () => {
  const lastAction = (id: string) =>
    engine.jsonpath(['container', id], '{.status.lastAction.action}={.status.lastAction.state}');

  /** A running container (`docker run`), once rdd mirrors it. */
  const running = async (name: string): Promise<string> => {
    const id = await engine.sleeper({ name });
    await engine.container(id);
    return id;
  };

  /** A container never started (`docker create`, status created), once rdd mirrors it. */
  const created = async (name: string): Promise<string> => {
    const id = await engine.sleeper({ name, created: true });
    await engine.container(id);
    return id;
  };

  /** A container docker has stopped (status exited), once rdd mirrors it as exited. */
  const exited = async (name: string): Promise<string> => {
    const id = await running(name);
    await engine.docker(['stop', '-t', '1', id]);
    await engine.wait([`container/${id}`, '--for=jsonpath={.status.status}=exited']);
    return id;
  };

  it('should stop on annotate action=stop: exited, lastAction stop=Succeeded', async () => {
    const id = await running('acted-stop');

    await instance.ok(['ctl', 'annotate', `container/${id}`, 'containers.rancherdesktop.io/action=stop']);
    await engine.wait([`container/${id}`, '--for=jsonpath={.status.lastAction.state}=Succeeded']);

    expect(await lastAction(id)).toBe('stop=Succeeded');
    expect(await statusOf(id)).toBe('exited');
    // As in the Go original: the annotation is gone once the action has finished.
    expect(await engine.jsonpath(['container', id], '{.metadata.annotations}')).toBe('');
  });

  it.each(['pause', 'unpause'])('should fail %s on an exited container with "not running"', async (action) => {
    const id = await exited(`acted-${action}-exited`);

    const result = await instance.rdd(['ctl', 'action', `container/${id}`, action, '-o', 'json']);
    const reply = JSON.parse(result.stdout) as { lastAction: Container['status']['lastAction'] };

    expect(result.code).toBe(1);
    expect(reply.lastAction).toMatchObject({ action, state: 'Failed' });
    expect(reply.lastAction?.error).toMatch(/not running/);
  });

  it('should start, pause and unpause, each Succeeded', async () => {
    const id = await created('acted-start');

    for (const [action, state] of [
      ['start', 'running'],
      ['pause', 'paused'],
      ['unpause', 'running'],
    ] as const) {
      await instance.ok(['ctl', 'action', `container/${id}`, action]);
      expect(await lastAction(id)).toBe(`${action}=Succeeded`);
      expect(await statusOf(id)).toBe(state);
    }
  });

  it('should restart with a new StartedAt', async () => {
    const id = await running('acted-restart');
    const before = await engine.jsonpath(['container', id], '{.status.startedAt}');

    await instance.ok(['ctl', 'annotate', `container/${id}`, 'containers.rancherdesktop.io/action=restart']);
    await engine.wait([`container/${id}`, '--for=jsonpath={.status.lastAction.action}=restart']);
    await engine.wait([`container/${id}`, '--for=jsonpath={.status.lastAction.state}=Succeeded']);

    expect(await engine.jsonpath(['container', id], '{.status.startedAt}')).not.toBe(before);
  });

  it('should refuse a bogus action annotation with exit 3 and leave lastAction alone', async () => {
    // A lastAction to leave alone, so "unchanged" is not merely "still empty".
    const id = await created('acted-bogus');
    await instance.ok(['ctl', 'action', `container/${id}`, 'start']);
    const before = await lastAction(id);
    expect(before).toBe('start=Succeeded');

    const result = await instance.rdd([
      'ctl',
      'annotate',
      `container/${id}`,
      'containers.rancherdesktop.io/action=bogus',
    ]);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid containers.rancherdesktop.io/action annotation "bogus"');
    expect(result.stderr).toContain('valid values: start, stop, pause, unpause, restart, kill');
    expect(await lastAction(id)).toBe(before);
  });

  it('should keep lastAction start=Succeeded when docker stops it afterwards', async () => {
    const id = await created('acted-kept');

    await instance.ok(['ctl', 'action', `container/${id}`, 'start']);
    await engine.docker(['stop', '-t', '1', id]);
    await engine.wait([`container/${id}`, '--for=jsonpath={.status.status}=exited']);

    expect(await lastAction(id)).toBe('start=Succeeded');
  });

  it('should refuse a bad state or action with the valid values listed', async () => {
    const id = await created('acted-refused');

    const state = await instance.rdd(['ctl', 'state', `container/${id}`, 'sleeping']);
    const action = await instance.rdd(['ctl', 'action', `container/${id}`, 'explode']);

    expect(state.code).toBe(2);
    expect(state.stderr).toContain('valid states: unknown, created, running, paused');
    expect(action.code).toBe(2);
    expect(action.stderr).toContain('valid actions: start, stop, pause, unpause, restart, kill');
  });
});

describe('desired state and the conflict policy', () => {
  it('should converge to spec.state running, release it on a docker stop, and restart a crash', async () => {
    const id = await engine.sleeper({ name: 'kept', created: true });
    await engine.container(id);

    await instance.ok(['ctl', 'state', `container/${id}`, 'running']);
    await engine.wait([`container/${id}`, '--for=condition=Converged']);
    expect(await statusOf(id)).toBe('running');

    await engine.docker(['stop', '-t', '1', id]);
    await engine.wait([`container/${id}`, '--for=jsonpath={.spec.state}=unknown']);
    const released = await engine.jsonpath(['container', id], '{.status.conditions[?(@.type=="Converged")].message}');
    expect(released).toContain('outside rdd; desired state released to unknown');
    expect(await statusOf(id)).toBe('exited');

    const crashing = await engine.sleeper({ created: true, command: ['sh', '-c', 'sleep 1; exit 3'] });
    await engine.container(crashing);
    await instance.ok(['ctl', 'state', `container/${crashing}`, 'running']);
    await engine.wait(
      [`container/${crashing}`, '--for=jsonpath={.status.conditions[?(@.type=="Converged")].reason}=CrashLoopBackOff'],
      '30s',
    );
    const crashedStart = await engine.docker(['inspect', '--format', '{{.State.StartedAt}}', crashing]);
    const restartedAt = await eventually(
      'rdd to start the crashed container again',
      async () => {
        const startedAt = await engine.docker(['inspect', '--format', '{{.State.StartedAt}}', crashing]);
        if (startedAt === crashedStart) throw new Error('not restarted yet');
        return startedAt;
      },
      30_000,
    );
    expect(restartedAt).not.toBe(crashedStart);
    expect((await engine.container(crashing)).spec.state).toBe('running');
    await instance.ok(['ctl', 'state', `container/${crashing}`, 'unknown']);
    await engine.docker(['rm', '-f', crashing, id]);
  });
});

describe('stopping and switching the engine', () => {
  it('should sweep every mirror on running=false, at once on a second time, and bring moby back on start', async () => {
    await instance.ok(['set', 'running=false', '--timeout', '2m']);
    const kinds = await Promise.all(
      ['containers', 'images', 'volumes', 'networks', 'cns'].map((kind) => engine.list(kind)),
    );
    // A second stop finds nothing to do: the App is already settled stopped, so the command's own
    // short deadline (exit 4 on a hang) is the bound, not a clock in the test.
    const again = await instance.ok(['set', 'running=false', '--timeout=10s']);

    expect(kinds.map((items) => items.length)).toEqual([0, 0, 0, 0, 0]);
    expect(again.stderr).toMatch(/App unchanged/);

    await instance.ok(['set', 'running=true', '--timeout', '3m']);
    await engine.wait(['cns/moby', '--for=create'], '30s');
  });

  it('should drop image mirrors with mirrorImages=false and sync them back with true, without reconnecting', async () => {
    await instance.ok(['set', 'containerEngine.mirrorImages=false']);
    const without = await engine.list('images');
    await instance.ok(['set', 'containerEngine.mirrorImages=true']);
    const withImages = await engine.list<Image>('images');

    expect(without).toEqual([]);
    expect(withImages.map((image) => image.status.repoTag)).toContain(busyboxImage);
  });
});
