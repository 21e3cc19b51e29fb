import type { ContainerInspectInfo } from 'dockerode';
import { containerSchema, containerStates, type LastAction } from '../../protocol/mirrors/container.schema.js';
import type { Condition } from '../../protocol/condition.schema.js';
import { containerMirror } from './build-container.js';
import {
  containerFixture,
  NAMESPACE,
  OBSERVED_AT,
  OPTIONS,
  permutations,
  TAGGED_IMAGE_ID,
  type ContainerFixture,
  type Permutation,
} from './mirrors.fixtures.js';

const WEB_ID = 'e397344e279573b265b1113a09a2796b70732b4211895da988744a8b85e829b3';

const condition = (type: string): Condition => ({
  type,
  status: 'True',
  reason: type,
  message: '',
  observedGeneration: 1,
  lastTransitionTime: '2026-11-26T14:05:00.000Z',
});

describe('containerMirror', () => {
  it('should name the mirror by the full engine ID and carry the engine labels when built', () => {
    const inspect = containerFixture('web');

    const mirror = containerMirror(inspect, OPTIONS);

    expect(mirror.apiVersion).toBe('containers.rancherdesktop.io/v1alpha1');
    expect(mirror.kind).toBe('Container');
    expect(mirror.metadata).toEqual({
      name: WEB_ID,
      namespace: NAMESPACE,
      labels: {
        'a.first': '1',
        'org.example.app': 'fixture',
        'org.example.role': 'web',
        'org.example.team': 'mirrors',
        'z.last': '2',
      },
    });
  });

  it.each([
    ['name', 'web'],
    ['namespace', 'moby'],
    ['path', 'httpd'],
    ['args', ['-f', '-p', '80']],
    ['image', TAGGED_IMAGE_ID],
    ['imageName', 'rdd-test/busybox:latest'],
    ['status', 'running'],
    ['pid', 24249],
    ['exitCode', 0],
    ['error', ''],
    ['oomKilled', false],
    ['health', 'healthy'],
    ['restartCount', 0],
    ['createdAt', '2026-11-26T14:04:15.766Z'],
    ['startedAt', '2026-11-26T14:04:16.487Z'],
    ['finishedAt', null],
    ['networks', ['fx']],
    ['conditions', []],
    ['observedAt', OBSERVED_AT],
  ])('should map status.%s when built from a running container', (field, expected) => {
    const inspect = containerFixture('web');

    const { status } = containerMirror(inspect, OPTIONS);

    expect(status[field as keyof typeof status]).toEqual(expected);
  });

  it('should sort ports by name and bindings by host IP and port, and leave exposed-only ports unbound when built', () => {
    const inspect = containerFixture('web');

    const { status } = containerMirror(inspect, OPTIONS);

    expect(status.ports).toEqual([
      { name: '53/udp', bindings: [{ hostIP: '127.0.0.1', hostPort: '18053' }] },
      {
        name: '80/tcp',
        bindings: [
          { hostIP: '127.0.0.1', hostPort: '18080' },
          { hostIP: '127.0.0.2', hostPort: '18081' },
        ],
      },
      { name: '9090/tcp', bindings: [] },
    ]);
  });

  it('should sort bindings on one host IP by port number when the ports differ in length', () => {
    const inspect = containerFixture('web');
    inspect.NetworkSettings.Ports = {
      '80/tcp': [
        { HostIp: '::', HostPort: '18080' },
        { HostIp: '0.0.0.0', HostPort: '18080' },
        { HostIp: '0.0.0.0', HostPort: '8080' },
      ],
    };

    const { status } = containerMirror(inspect, OPTIONS);

    expect(status.ports[0]?.bindings).toEqual([
      { hostIP: '0.0.0.0', hostPort: '8080' },
      { hostIP: '0.0.0.0', hostPort: '18080' },
      { hostIP: '::', hostPort: '18080' },
    ]);
  });

  it('should list label keys in sorted order when built', () => {
    const inspect = containerFixture('web');

    const mirror = containerMirror(inspect, OPTIONS);

    expect(Object.keys(mirror.status.labels)).toEqual([
      'a.first',
      'org.example.app',
      'org.example.role',
      'org.example.team',
      'z.last',
    ]);
    expect(Object.keys(mirror.metadata.labels)).toEqual(Object.keys(mirror.status.labels));
  });

  it.each<[ContainerFixture, Record<string, unknown>]>([
    [
      'exited',
      {
        name: 'exited',
        path: 'sh',
        args: ['-c', 'exit 3'],
        imageName: 'rdd-test/busybox:v1',
        status: 'exited',
        pid: 0,
        exitCode: 3,
        health: null,
        startedAt: '2026-11-26T14:04:16.889Z',
        finishedAt: '2026-11-26T14:04:16.888Z',
        networks: ['none'],
        ports: [],
      },
    ],
    [
      'paused',
      { status: 'paused', pid: 24453, startedAt: '2026-11-26T14:04:17.599Z', finishedAt: null, networks: ['fx'] },
    ],
    ['created', { status: 'created', pid: 0, startedAt: null, finishedAt: null, args: ['10'] }],
    [
      'flappy',
      {
        status: 'restarting',
        exitCode: 1,
        restartCount: 1,
        startedAt: '2026-11-26T14:04:33.456Z',
        finishedAt: '2026-11-26T14:04:33.509Z',
      },
    ],
  ])('should map the state fields when built from the %s container', (fixture, expected) => {
    const inspect = containerFixture(fixture);

    const { status } = containerMirror(inspect, OPTIONS);

    expect(status).toMatchObject(expected);
  });

  it.each(containerStates.filter((state) => state !== 'unknown'))(
    'should report status %s when Docker reports it',
    (state) => {
      const inspect = containerFixture('web');
      inspect.State.Status = state;

      expect(containerMirror(inspect, OPTIONS).status.status).toBe(state);
    },
  );

  it.each(['pausing', 'Running', 'bogus', ''])('should report status unknown when Docker reports "%s"', (state) => {
    const inspect = containerFixture('web');
    inspect.State.Status = state;

    expect(containerMirror(inspect, OPTIONS).status.status).toBe('unknown');
  });

  it.each<[string, 'createdAt' | 'startedAt' | 'finishedAt', (inspect: ContainerInspectInfo, zero: string) => void]>([
    ['State.StartedAt', 'startedAt', (inspect, zero) => (inspect.State.StartedAt = zero)],
    ['State.FinishedAt', 'finishedAt', (inspect, zero) => (inspect.State.FinishedAt = zero)],
    ['Created', 'createdAt', (inspect, zero) => (inspect.Created = zero)],
  ])('should report null when %s is Docker zero time', (_dockerField, field, setTime) => {
    const inspect = containerFixture('exited');
    setTime(inspect, '0001-01-01T00:00:00Z');

    const { status } = containerMirror(inspect, OPTIONS);

    expect(status[field]).toBeNull();
  });

  it('should observe only when built without a spec', () => {
    const mirror = containerMirror(containerFixture('web'), OPTIONS);

    expect(mirror.spec).toEqual({ state: 'unknown' });
  });

  it('should keep the owner spec, conditions sorted by type and lastAction when given', () => {
    const lastAction: LastAction = {
      action: 'pause',
      state: 'Failed',
      error: 'boom',
      observedAt: '2026-11-26T14:04:59.000Z',
      completedAt: '2026-11-26T14:05:00.000Z',
    };

    const mirror = containerMirror(containerFixture('web'), {
      ...OPTIONS,
      spec: { state: 'running' },
      conditions: [condition('Running'), condition('Converged')],
      lastAction,
    });

    expect(mirror.spec).toEqual({ state: 'running' });
    expect(mirror.status.conditions.map((item) => item.type)).toEqual(['Converged', 'Running']);
    expect(mirror.status.lastAction).toEqual(lastAction);
  });

  it('should leave lastAction out when none is given', () => {
    const mirror = containerMirror(containerFixture('web'), OPTIONS);

    expect(Object.keys(mirror.status)).not.toContain('lastAction');
  });

  it('should give byte-equal JSON when the owner values arrive with keys in another order', () => {
    const lastAction: LastAction = { action: 'start', state: 'Succeeded', observedAt: 't0', completedAt: 't1' };
    const shuffledAction = { completedAt: 't1', observedAt: 't0', state: 'Succeeded', action: 'start' } as const;
    const shuffledCondition = Object.fromEntries(Object.entries(condition('Running')).reverse()) as Condition;

    const a = containerMirror(containerFixture('web'), { ...OPTIONS, conditions: [condition('Running')], lastAction });
    const b = containerMirror(containerFixture('web'), {
      ...OPTIONS,
      conditions: [shuffledCondition],
      lastAction: shuffledAction,
    });

    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it.each(permutations)(
    'should give byte-equal JSON when Docker lists ports, bindings, labels and networks $name',
    (permutation: Permutation) => {
      const original = withThreeNetworks(containerFixture('web'));
      const shuffled = withThreeNetworks(containerFixture('web'));
      const settings = shuffled.NetworkSettings;
      settings.Ports = permutation.keys(settings.Ports);
      for (const [name, bindings] of Object.entries(settings.Ports)) {
        settings.Ports[name] = bindings && permutation.list(bindings);
      }
      settings.Networks = permutation.keys(settings.Networks);
      shuffled.Config.Labels = permutation.keys(shuffled.Config.Labels);

      const a = containerMirror(original, OPTIONS);
      const b = containerMirror(shuffled, OPTIONS);

      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(Object.keys(shuffled.NetworkSettings.Ports)).not.toEqual(Object.keys(original.NetworkSettings.Ports));
    },
  );

  it('should sort network names when the container is on several networks', () => {
    const mirror = containerMirror(withThreeNetworks(containerFixture('web')), OPTIONS);

    expect(mirror.status.networks).toEqual(['bridge', 'fx', 'zeta']);
  });

  it.each<ContainerFixture>(['web', 'exited', 'paused', 'created', 'flappy'])(
    'should build a mirror the Container schema accepts unchanged when built from %s',
    (fixture) => {
      const mirror = containerMirror(containerFixture(fixture), OPTIONS);

      expect(containerSchema.parse(mirror)).toEqual(mirror);
    },
  );

  it('should build an empty status list when Docker reports null ports, labels and networks', () => {
    const inspect = containerFixture('created');
    const loose = inspect as unknown as {
      Config: { Labels: null };
      NetworkSettings: { Ports: null; Networks: null };
    };
    loose.Config.Labels = null;
    loose.NetworkSettings.Ports = null;
    loose.NetworkSettings.Networks = null;

    const { metadata, status } = containerMirror(inspect, OPTIONS);

    expect([metadata.labels, status.labels, status.ports, status.networks]).toEqual([{}, {}, [], []]);
  });
});

/** web on fx, plus two more networks around it, so a reorder of three names is visible. */
function withThreeNetworks(inspect: ContainerInspectInfo): ContainerInspectInfo {
  const fx = inspect.NetworkSettings.Networks.fx!;
  inspect.NetworkSettings.Networks = { zeta: { ...fx }, fx, bridge: { ...fx } };
  return inspect;
}
