import { networkMirrorName, networkSchema } from '../../protocol/mirrors/network.schema.js';
import { networkMirror } from './build-network.js';
import {
  NAMESPACE,
  networkFixture,
  OBSERVED_AT,
  OPTIONS,
  permutations,
  type NetworkFixture,
  type Permutation,
} from './mirrors.fixtures.js';

const FX_ID = 'fdeaaf5393900100687792b1df606c533b9919585eeafb33e60401487c2b319e';

describe('networkMirror', () => {
  it('should name the mirror by a hash of the network ID and carry its labels when built', () => {
    const mirror = networkMirror(networkFixture('fx'), OPTIONS);

    expect(mirror.apiVersion).toBe('containers.rancherdesktop.io/v1alpha1');
    expect(mirror.kind).toBe('Network');
    expect(mirror.metadata).toEqual({
      name: networkMirrorName(FX_ID),
      namespace: NAMESPACE,
      labels: { 'org.example.net': 'fx' },
    });
  });

  it.each([
    ['namespace', 'moby'],
    ['id', FX_ID],
    ['name', 'fx'],
    ['driver', 'bridge'],
    ['scope', 'local'],
    ['internal', false],
    ['attachable', true],
    ['subnets', ['10.99.0.0/24', 'fd00:99::/64']],
    [
      'containers',
      [
        '3698dfdaa23206eb64a80a672f7a6bad5b7bb0fa6f4527eb70abfc308a808c6b',
        '7401084cbbb25b59c5b87a9eca1dda4876a60dfcf186aec0ba9736d9bb1659ad',
        'e397344e279573b265b1113a09a2796b70732b4211895da988744a8b85e829b3',
      ],
    ],
    ['labels', { 'org.example.net': 'fx' }],
    ['createdAt', '2026-11-26T14:04:11.286Z'],
    ['predefined', false],
    ['observedAt', OBSERVED_AT],
  ])('should map status.%s when built from a user network', (field, expected) => {
    const { status } = networkMirror(networkFixture('fx'), OPTIONS);

    expect(status[field as keyof typeof status]).toEqual(expected);
  });

  it.each<[NetworkFixture, { predefined: boolean; internal: boolean; driver: string; subnets: string[] }]>([
    ['fx-internal', { predefined: false, internal: true, driver: 'bridge', subnets: ['172.17.0.0/16'] }],
    ['host', { predefined: true, internal: false, driver: 'host', subnets: [] }],
    ['none', { predefined: true, internal: false, driver: 'null', subnets: [] }],
  ])('should map predefined, internal, driver and subnets when built from %s', (name, expected) => {
    const { status } = networkMirror(networkFixture(name), OPTIONS);

    expect(status).toMatchObject({ ...expected, containers: [] });
  });

  it('should report predefined when the network is the default bridge', () => {
    const inspect = networkFixture('fx-internal');
    inspect.Name = 'bridge';

    expect(networkMirror(inspect, OPTIONS).status.predefined).toBe(true);
  });

  it('should report no subnets and no containers when Docker omits IPAM and containers', () => {
    const inspect = networkFixture('fx');
    delete inspect.IPAM;
    delete inspect.Containers;
    delete inspect.Labels;

    const { status } = networkMirror(inspect, OPTIONS);

    expect([status.subnets, status.containers, status.labels]).toEqual([[], [], {}]);
  });

  it.each(permutations)(
    'should give byte-equal JSON when Docker lists subnets, containers and labels $name',
    (permutation: Permutation) => {
      const original = networkFixture('fx');
      original.Labels = { ...original.Labels, 'a.first': '1' };
      const shuffled = structuredClone(original);
      shuffled.IPAM!.Config = permutation.list(shuffled.IPAM!.Config!);
      shuffled.Containers = permutation.keys(shuffled.Containers!);
      shuffled.Labels = permutation.keys(shuffled.Labels!);

      const a = networkMirror(original, OPTIONS);
      const b = networkMirror(shuffled, OPTIONS);

      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    },
  );

  it.each<NetworkFixture>(['fx', 'fx-internal', 'host', 'none'])(
    'should build a mirror the Network schema accepts unchanged when built from %s',
    (name) => {
      const mirror = networkMirror(networkFixture(name), OPTIONS);

      expect(networkSchema.parse(mirror)).toEqual(mirror);
    },
  );
});
