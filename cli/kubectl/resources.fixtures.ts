/** Resources for the printer and describe tests: valid per the protocol schemas, overridable per test. */
import type { App } from '../../protocol/app.schema.js';
import type { Container, ContainerNamespace, Image, Network, Volume } from '../../protocol/mirrors/index.js';

export const NOW = new Date('2026-03-01T12:00:00Z');
export const CONTAINER_ID = '3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c';
const mirrorApiVersion = 'containers.rancherdesktop.io/v1alpha1';
const metadata = { namespace: 'rancher-desktop', creationTimestamp: '2026-03-01T11:00:00Z' };

export function container(
  overrides: Partial<Container['status']> = {},
  meta: Partial<Container['metadata']> = {},
): Container {
  return {
    apiVersion: mirrorApiVersion,
    kind: 'Container',
    metadata: { ...metadata, name: CONTAINER_ID, labels: { app: 'web' }, ...meta },
    spec: { state: 'running' },
    status: {
      name: 'web',
      namespace: 'moby',
      path: 'nginx',
      args: ['-g', 'daemon off;'],
      image: 'sha256:f746d1db2b9be710bc3082dfdf1fcaca08063bd1879b9838dd61f814436e8985',
      imageName: 'nginx:alpine',
      ports: [
        { name: '80/tcp', bindings: [{ hostIP: '127.0.0.1', hostPort: '8080' }] },
        { name: '443/tcp', bindings: [] },
      ],
      labels: { app: 'web' },
      status: 'running',
      pid: 4242,
      exitCode: 0,
      error: '',
      oomKilled: false,
      health: null,
      restartCount: 0,
      createdAt: '2026-03-01T11:57:00Z',
      startedAt: '2026-03-01T11:57:01Z',
      finishedAt: null,
      networks: ['bridge', 'web-net'],
      conditions: [
        {
          type: 'Converged',
          status: 'True',
          reason: 'Converged',
          message: 'the container is running as desired',
          observedGeneration: 2,
          lastTransitionTime: '2026-03-01T11:59:55Z',
        },
      ],
      lastAction: {
        action: 'stop',
        state: 'Succeeded',
        observedAt: '2026-03-01T11:58:00Z',
        completedAt: '2026-03-01T11:58:02Z',
      },
      observedAt: '2026-03-01T11:59:59Z',
      ...overrides,
    },
  };
}

export function image(overrides: Partial<Image['status']> = {}, meta: Partial<Image['metadata']> = {}): Image {
  return {
    apiVersion: mirrorApiVersion,
    kind: 'Image',
    metadata: { ...metadata, name: 'img-6f19d1b94ba16ea0', labels: {}, ...meta },
    status: {
      namespace: 'moby',
      id: 'sha256:f746d1db2b9be710bc3082dfdf1fcaca08063bd1879b9838dd61f814436e8985',
      repoTag: 'nginx:alpine',
      repoDigests: ['nginx@sha256:aaaa'],
      createdAt: '2026-02-25T12:00:00Z',
      architecture: 'arm64',
      os: 'linux',
      size: 4_261_000,
      labels: {},
      observedAt: '2026-03-01T11:59:59Z',
      ...overrides,
    },
  };
}

export function volume(overrides: Partial<Volume['status']> = {}): Volume {
  return {
    apiVersion: mirrorApiVersion,
    kind: 'Volume',
    metadata: { ...metadata, name: 'vol-bc7a898312d9', labels: {} },
    status: {
      name: 'data',
      namespace: 'moby',
      createdAt: '2026-03-01T09:00:00Z',
      driver: 'local',
      mountpoint: '/var/lib/docker/volumes/data/_data',
      labels: {},
      scope: 'local',
      options: {},
      observedAt: '2026-03-01T11:59:59Z',
      ...overrides,
    },
  };
}

export function network(overrides: Partial<Network['status']> = {}): Network {
  return {
    apiVersion: mirrorApiVersion,
    kind: 'Network',
    metadata: { ...metadata, name: 'net-1e9639d60965', labels: {} },
    status: {
      namespace: 'moby',
      id: 'fdeaaf5393900100687792b1df606c533b9919585eeafb33e60401487c2b319e',
      name: 'bridge',
      driver: 'bridge',
      scope: 'local',
      internal: false,
      attachable: false,
      subnets: ['172.17.0.0/16'],
      containers: [],
      labels: {},
      createdAt: null,
      predefined: true,
      observedAt: '2026-03-01T11:59:59Z',
      ...overrides,
    },
  };
}

export function containerNamespace(): ContainerNamespace {
  return {
    apiVersion: mirrorApiVersion,
    kind: 'ContainerNamespace',
    metadata: { ...metadata, name: 'moby', labels: {} },
  };
}

export function app(): App {
  const condition = (type: string, status: 'True' | 'False') => ({
    type,
    status,
    reason: status === 'True' ? 'Ready' : 'Waiting',
    message: '',
    observedGeneration: 3,
    lastTransitionTime: '2026-03-01T11:50:00Z',
  });
  return {
    apiVersion: 'app.rancherdesktop.io/v1alpha1',
    kind: 'App',
    metadata: { name: 'app', generation: 3, creationTimestamp: '2026-02-27T12:00:00Z' },
    spec: {
      running: true,
      containerEngine: { name: 'moby', mirrorImages: true },
      kubernetes: { enabled: false, version: '' },
      vm: { driver: 'lima', socket: '' },
    },
    status: {
      conditions: [
        condition('ContainerEngineReady', 'True'),
        condition('Running', 'True'),
        condition('Settled', 'False'),
      ],
    },
  };
}
