import { volumeMirrorName, volumeSchema } from '../../protocol/mirrors/volume.schema.js';
import { volumeMirror } from './build-volume.js';
import {
  NAMESPACE,
  OBSERVED_AT,
  OPTIONS,
  permutations,
  volumeFixture,
  type Permutation,
  type VolumeFixture,
} from './mirrors.fixtures.js';

describe('volumeMirror', () => {
  it('should name the mirror by a hash of the volume name and carry its labels when built', () => {
    const mirror = volumeMirror(volumeFixture('fxdata'), OPTIONS);

    expect(mirror.apiVersion).toBe('containers.rancherdesktop.io/v1alpha1');
    expect(mirror.kind).toBe('Volume');
    expect(mirror.metadata).toEqual({
      name: volumeMirrorName('fxdata'),
      namespace: NAMESPACE,
      labels: { 'a.first': '1', 'org.example.vol': 'data' },
    });
  });

  it.each([
    ['name', 'fxtmp'],
    ['namespace', 'moby'],
    ['createdAt', '2026-11-26T14:04:11.000Z'],
    ['driver', 'local'],
    ['mountpoint', '/tmp/mirfx/data/volumes/fxtmp/_data'],
    ['labels', { kind: 'tmpfs' }],
    ['scope', 'local'],
    ['options', { device: 'tmpfs', o: 'size=1m', type: 'tmpfs' }],
    ['observedAt', OBSERVED_AT],
  ])('should map status.%s when built from a volume with options', (field, expected) => {
    const { status } = volumeMirror(volumeFixture('fxtmp'), OPTIONS);

    expect(status[field as keyof typeof status]).toEqual(expected);
  });

  it('should map null labels and options to none when the volume has neither', () => {
    const { metadata, status } = volumeMirror(volumeFixture('fxanon'), OPTIONS);

    expect([metadata.labels, status.labels, status.options]).toEqual([{}, {}, {}]);
  });

  it('should normalise CreatedAt to UTC when the daemon reports a local offset', () => {
    const inspect = volumeFixture('fxdata');
    inspect.CreatedAt = '2026-11-26T15:04:11+01:00';

    expect(volumeMirror(inspect, OPTIONS).status.createdAt).toBe('2026-11-26T14:04:11.000Z');
  });

  it.each(permutations)(
    'should give byte-equal JSON when Docker lists labels and options $name',
    (permutation: Permutation) => {
      const original = volumeFixture('fxtmp');
      original.Labels = { ...original.Labels, 'a.first': '1', zz: 'last' };
      const shuffled = structuredClone(original);
      shuffled.Labels = permutation.keys(shuffled.Labels ?? {});
      shuffled.Options = permutation.keys(shuffled.Options ?? {});

      const a = volumeMirror(original, OPTIONS);
      const b = volumeMirror(shuffled, OPTIONS);

      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(Object.keys(a.status.options)).toEqual(['device', 'o', 'type']);
    },
  );

  it.each<VolumeFixture>(['fxdata', 'fxtmp', 'fxanon'])(
    'should build a mirror the Volume schema accepts unchanged when built from %s',
    (name) => {
      const mirror = volumeMirror(volumeFixture(name), OPTIONS);

      expect(volumeSchema.parse(mirror)).toEqual(mirror);
    },
  );
});
