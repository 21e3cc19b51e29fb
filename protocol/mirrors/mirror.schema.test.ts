import { resourceNamePattern } from '../resource.schema.js';
import { containerNamespaceSchema } from './container-namespace.schema.js';
import { containerSpecSchema, containerStatusSchema } from './container.schema.js';
import { imageMirrorName } from './image.schema.js';
import { mirrorSchema } from './mirror.js';
import { networkMirrorName } from './network.schema.js';
import { volumeMirrorName } from './volume.schema.js';

const IMAGE_ID = 'sha256:f746d1db2b9be710bc3082dfdf1fcaca08063bd1879b9838dd61f814436e8985';
const DANGLING_ID = 'sha256:0b10e21ddaf40370a03d59d2249771d5f46bee227b20655dfffa20570aa78c72';
const NETWORK_ID = 'fdeaaf5393900100687792b1df606c533b9919585eeafb33e60401487c2b319e';

describe('mirror names', () => {
  // Expected values from `printf '<id>\0<tag>' | sha256sum` and friends, not from this code.
  it.each([
    [
      'a tagged image',
      () => imageMirrorName(IMAGE_ID, 'rdd-test/busybox:latest'),
      'img-6f19d1b94ba16ea077ac9f0ac586ca68762b82dbfb209c964a58bddd54497de5',
    ],
    [
      'a dangling image',
      () => imageMirrorName(DANGLING_ID),
      'img-6df6b2b5fb5ff4666208d660cf895b665d3bee56caebad1333fd651528b28dc6',
    ],
    [
      'a dangling image with an empty tag',
      () => imageMirrorName(DANGLING_ID, ''),
      'img-6df6b2b5fb5ff4666208d660cf895b665d3bee56caebad1333fd651528b28dc6',
    ],
    [
      'a volume',
      () => volumeMirrorName('fxtmp'),
      'vol-bc7a898312d96f57c981a1fde77f267e891ff86961cab11937efb243a72d2b95',
    ],
    [
      'a network',
      () => networkMirrorName(NETWORK_ID),
      'net-1e9639d60965e311108f49d5b234c6af1c20bd603c637c429e1d8d4347dd1ec6',
    ],
  ])('should hash the engine identity when naming %s', (_what, name, expected) => {
    expect(name()).toBe(expected);
  });

  it('should give each tag of one image its own name when tagged twice', () => {
    expect(imageMirrorName(IMAGE_ID, 'a:1')).not.toBe(imageMirrorName(IMAGE_ID, 'a:2'));
  });

  it.each([imageMirrorName(IMAGE_ID, 'registry.example:5000/a/b:c'), volumeMirrorName('my vol/äö')])(
    'should be a valid resource name when the engine name holds odd characters (%s)',
    (name) => {
      expect(name).toMatch(resourceNamePattern);
    },
  );
});

describe('mirror schemas', () => {
  it('should default spec.state to unknown when the spec is empty', () => {
    expect(containerSpecSchema.parse({})).toEqual({ state: 'unknown' });
  });

  it.each([{ state: 'exited' }, { state: 'running', extra: true }])('should reject the container spec %j', (spec) => {
    expect(containerSpecSchema.safeParse(spec).success).toBe(false);
  });

  it.each([
    ['an unknown status', { status: 'pausing' }],
    ['a local-time timestamp', { startedAt: '2026-11-26T15:04:11+01:00' }],
    ['a bad port name', { ports: [{ name: 'http', bindings: [] }] }],
  ])('should reject a container status with %s', (_what, change) => {
    const status = {
      name: 'web',
      namespace: 'moby',
      path: 'httpd',
      args: [],
      image: IMAGE_ID,
      imageName: 'busybox',
      ports: [],
      labels: {},
      status: 'running',
      pid: 1,
      exitCode: 0,
      error: '',
      oomKilled: false,
      health: null,
      restartCount: 0,
      createdAt: '2026-11-26T14:04:11.000Z',
      startedAt: null,
      finishedAt: null,
      networks: [],
      conditions: [],
      observedAt: '2026-11-26T14:05:00.000Z',
    };

    expect(containerStatusSchema.safeParse(status).success).toBe(true);
    expect(containerStatusSchema.safeParse({ ...status, ...change }).success).toBe(false);
  });

  it('should reject a ContainerNamespace with a spec or without a namespace', () => {
    const namespace = {
      apiVersion: 'containers.rancherdesktop.io/v1alpha1',
      kind: 'ContainerNamespace',
      metadata: { name: 'moby', namespace: 'rancher-desktop', labels: {} },
    };

    expect(containerNamespaceSchema.safeParse(namespace).success).toBe(true);
    expect(containerNamespaceSchema.safeParse({ ...namespace, spec: {} }).success).toBe(false);
    expect(containerNamespaceSchema.safeParse({ ...namespace, metadata: { name: 'moby', labels: {} } }).success).toBe(
      false,
    );
  });

  it('should check a mirror against the schema of its kind when parsing any mirror', () => {
    const volume = {
      apiVersion: 'containers.rancherdesktop.io/v1alpha1',
      kind: 'Volume',
      metadata: { name: volumeMirrorName('v'), namespace: 'rancher-desktop', labels: {} },
      status: { name: 'v' },
    };

    const parsed = mirrorSchema.safeParse(volume);

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain('status.driver');
  });
});
