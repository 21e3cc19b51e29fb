import type { Resource } from '../../protocol/resource.schema.js';
import { containerMirror } from './build-container.js';
import { imageMirrors } from './build-image.js';
import { namespaceMirror } from './build-namespace.js';
import { networkMirror } from './build-network.js';
import { volumeMirror } from './build-volume.js';
import {
  containerFixture,
  imageFixture,
  LATER,
  NAMESPACE,
  networkFixture,
  OPTIONS,
  volumeFixture,
} from './mirrors.fixtures.js';
import { sameMirrorContent } from './same-mirror-content.js';

type Build = (observedAt: string) => Resource;

const builds: [string, Build][] = [
  ['Container', (observedAt) => containerMirror(containerFixture('web'), { ...OPTIONS, observedAt })],
  ['Image', (observedAt) => imageMirrors(imageFixture('tagged'), { ...OPTIONS, observedAt })[0]!],
  ['Volume', (observedAt) => volumeMirror(volumeFixture('fxtmp'), { ...OPTIONS, observedAt })],
  ['Network', (observedAt) => networkMirror(networkFixture('fx'), { ...OPTIONS, observedAt })],
  ['ContainerNamespace', () => namespaceMirror({ namespace: NAMESPACE })],
];

/** Every object's keys in reverse order, as a store round trip might give them back. */
function reorderedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, inner]) => [key, reorderedKeys(inner)]),
  );
}

describe('sameMirrorContent', () => {
  it.each(builds)('should ignore observedAt when only it differs on a %s', (_kind, build) => {
    expect(sameMirrorContent(build(OPTIONS.observedAt), build(LATER))).toBe(true);
  });

  it.each(builds)('should ignore resourceVersion when only it differs on a %s', (_kind, build) => {
    const stored = build(OPTIONS.observedAt);
    stored.metadata.resourceVersion = '42';

    expect(sameMirrorContent(stored, build(LATER))).toBe(true);
  });

  it.each(builds)('should ignore key order when a stored %s lists keys in another order', (_kind, build) => {
    const stored = reorderedKeys(build(OPTIONS.observedAt)) as Resource;

    expect(sameMirrorContent(stored, build(LATER))).toBe(true);
  });

  it.each<[string, (mirror: Resource & { status: Record<string, unknown> }) => void]>([
    ['a status field', (mirror) => (mirror.status.name = 'renamed')],
    ['a status list order', (mirror) => (mirror.status.networks = ['b', 'a'])],
    ['the spec', (mirror) => (mirror.spec = { state: 'running' })],
    ['a metadata label', (mirror) => (mirror.metadata.labels = { other: 'label' })],
    ['the generation', (mirror) => (mirror.metadata.generation = 3)],
    [
      'the lastAction',
      (mirror) =>
        (mirror.status.lastAction = { action: 'stop', state: 'Succeeded', observedAt: 't0', completedAt: 't1' }),
    ],
    ['a condition', (mirror) => (mirror.status.conditions = [{ type: 'Converged' }])],
  ])('should report a difference when %s changes', (_what, change) => {
    const stored = containerMirror(containerFixture('web'), OPTIONS);
    const next = containerMirror(containerFixture('web'), { ...OPTIONS, observedAt: LATER });
    change(next);

    expect(sameMirrorContent(stored, next)).toBe(false);
  });

  it('should report a difference when a status field is added', () => {
    const stored = volumeMirror(volumeFixture('fxtmp'), OPTIONS);
    const next = volumeMirror(volumeFixture('fxtmp'), OPTIONS);
    next.status.options = { ...next.status.options, extra: '1' };

    expect(sameMirrorContent(stored, next)).toBe(false);
  });

  it('should treat an undefined property as absent when comparing', () => {
    const stored = namespaceMirror({ namespace: NAMESPACE });
    const next: Resource = { ...namespaceMirror({ namespace: NAMESPACE }), spec: undefined };

    expect(sameMirrorContent(stored, next)).toBe(true);
  });
});
