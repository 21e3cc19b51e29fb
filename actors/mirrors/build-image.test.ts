import { imageMirrorName, imageSchema } from '../../protocol/mirrors/image.schema.js';
import { imageMirrors } from './build-image.js';
import {
  DANGLING_IMAGE_ID,
  imageFixture,
  NAMESPACE,
  OBSERVED_AT,
  OPTIONS,
  permutations,
  TAGGED_IMAGE_ID,
  type Permutation,
} from './mirrors.fixtures.js';

const DIGESTS = [
  'registry.example/rdd-test/busybox@sha256:2222222222222222222222222222222222222222222222222222222222222222',
  'rdd-test/busybox@sha256:1111111111111111111111111111111111111111111111111111111111111111',
  'registry.example/rdd-test/busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000',
];

describe('imageMirrors', () => {
  it('should build one mirror per repo tag, sorted by tag, when the image has tags', () => {
    const inspect = imageFixture('tagged');

    const mirrors = imageMirrors(inspect, OPTIONS);

    expect(mirrors.map((mirror) => [mirror.metadata.name, mirror.status.repoTag])).toEqual([
      [imageMirrorName(TAGGED_IMAGE_ID, 'rdd-test/busybox:latest'), 'rdd-test/busybox:latest'],
      [imageMirrorName(TAGGED_IMAGE_ID, 'rdd-test/busybox:v1'), 'rdd-test/busybox:v1'],
    ]);
  });

  it('should build one mirror named after the ID with an empty repoTag when the image is dangling', () => {
    const inspect = imageFixture('dangling');

    const mirrors = imageMirrors(inspect, OPTIONS);

    expect(mirrors).toHaveLength(1);
    expect(mirrors[0]?.metadata.name).toBe(imageMirrorName(DANGLING_IMAGE_ID));
    expect(mirrors[0]?.status.repoTag).toBe('');
  });

  it.each([
    ['namespace', 'moby'],
    ['id', TAGGED_IMAGE_ID],
    ['repoTag', 'rdd-test/busybox:latest'],
    ['repoDigests', []],
    ['createdAt', '2026-11-26T14:04:11.030Z'],
    ['architecture', 'amd64'],
    ['os', 'linux'],
    ['size', 1982277],
    ['labels', { 'org.example.app': 'fixture', 'org.example.team': 'mirrors' }],
    ['observedAt', OBSERVED_AT],
  ])('should map status.%s when built from a tagged image', (field, expected) => {
    const [first] = imageMirrors(imageFixture('tagged'), OPTIONS);

    expect(first?.status[field as keyof NonNullable<typeof first>['status']]).toEqual(expected);
  });

  it('should carry the image labels in metadata and the mirror namespace when built', () => {
    const [first] = imageMirrors(imageFixture('tagged'), OPTIONS);

    expect(first?.apiVersion).toBe('containers.rancherdesktop.io/v1alpha1');
    expect(first?.kind).toBe('Image');
    expect(first?.metadata).toEqual({
      name: imageMirrorName(TAGGED_IMAGE_ID, 'rdd-test/busybox:latest'),
      namespace: NAMESPACE,
      labels: { 'org.example.app': 'fixture', 'org.example.team': 'mirrors' },
    });
  });

  it('should map null labels to none when the image was imported without labels', () => {
    const [mirror] = imageMirrors(imageFixture('dangling'), OPTIONS);

    expect([mirror?.metadata.labels, mirror?.status.labels, mirror?.status.size]).toEqual([{}, {}, 1982265]);
  });

  it('should sort the repo digests when Docker lists them unsorted', () => {
    const inspect = imageFixture('tagged');
    inspect.RepoDigests = [...DIGESTS];

    const [mirror] = imageMirrors(inspect, OPTIONS);

    expect(mirror?.status.repoDigests).toEqual([...DIGESTS].sort());
  });

  it('should treat <none> placeholders as no tags and no digests when an old engine sends them', () => {
    const inspect = imageFixture('dangling');
    inspect.RepoTags = ['<none>:<none>'];
    inspect.RepoDigests = ['<none>@<none>'];

    const mirrors = imageMirrors(inspect, OPTIONS);

    expect(mirrors.map((mirror) => [mirror.metadata.name, mirror.status.repoTag, mirror.status.repoDigests])).toEqual([
      [imageMirrorName(DANGLING_IMAGE_ID), '', []],
    ]);
  });

  it.each(permutations)(
    'should give byte-equal JSON when Docker lists tags, digests and labels $name',
    (permutation: Permutation) => {
      const original = imageFixture('tagged');
      original.RepoTags.push('rdd-test/busybox:a-first');
      original.RepoDigests = [...DIGESTS];
      const shuffled = structuredClone(original);
      shuffled.RepoTags = permutation.list(shuffled.RepoTags);
      shuffled.RepoDigests = permutation.list(shuffled.RepoDigests);
      shuffled.Config.Labels = permutation.keys(shuffled.Config.Labels);

      const a = imageMirrors(original, OPTIONS);
      const b = imageMirrors(shuffled, OPTIONS);

      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(a).toHaveLength(3);
    },
  );

  it('should give each tag its own lists when one mirror is changed', () => {
    const inspect = imageFixture('tagged');
    inspect.RepoDigests = [...DIGESTS];
    const [latest, v1] = imageMirrors(inspect, OPTIONS);

    latest?.status.repoDigests.pop();
    if (latest) latest.status.labels.extra = 'x';

    expect(v1?.status.repoDigests).toHaveLength(3);
    expect(v1?.status.labels).not.toHaveProperty('extra');
  });

  it.each(['tagged', 'dangling'] as const)(
    'should build mirrors the Image schema accepts unchanged when built from the %s image',
    (which) => {
      const mirrors = imageMirrors(imageFixture(which), OPTIONS);

      for (const mirror of mirrors) expect(imageSchema.parse(mirror)).toEqual(mirror);
    },
  );
});
