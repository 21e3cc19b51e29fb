/**
 * The App's properties as `rdd set` names them: their paths, types, help and defaults, and the engine
 * and driver names. Plain TypeScript, the one source for `rdd set` parsing, its `--help`, admission
 * messages and protocol/app.schema.ts (which re-exports it), so `rdd set` loads no zod (client/README.md).
 */
export const engineNames = ['moby', 'containerd'] as const;
export const vmDrivers = ['auto', 'lima', 'dockerd', 'external'] as const;
export type EngineName = (typeof engineNames)[number];
export type VmDriverName = Exclude<(typeof vmDrivers)[number], 'auto'>;

export type PropertyType = 'boolean' | 'string' | 'integer' | 'number' | readonly string[];

export interface Property {
  path: string;
  type: PropertyType;
  description: string;
  /** Shown in help; absent when the default depends on the machine. */
  defaultText?: string;
}

/** Every property `rdd set` accepts, in help order. */
export const appProperties: readonly Property[] = [
  {
    path: 'running',
    type: 'boolean',
    description: 'Whether the VM and its container engine should run',
    defaultText: 'false',
  },
  {
    path: 'containerEngine.name',
    type: engineNames,
    description: 'The container engine (containerd only with vm.driver=lima)',
    defaultText: 'moby',
  },
  {
    path: 'containerEngine.mirrorImages',
    type: 'boolean',
    description: 'Mirror the engine images as Image resources',
    defaultText: 'true',
  },
  {
    path: 'kubernetes.enabled',
    type: 'boolean',
    description: 'Run Kubernetes (k3s) in the VM (only with vm.driver=lima)',
    defaultText: 'false',
  },
  {
    path: 'kubernetes.version',
    type: 'string',
    description:
      'The k3s version to run: 1.34.6 or v1.34.6, a minor channel such as v1.34, or stable or latest (empty: stable)',
    defaultText: '""',
  },
  {
    path: 'vm.driver',
    type: vmDrivers,
    description:
      'What runs the engine: lima (a VM), dockerd (a dockerd rdd starts under RootlessKit in namespaces of its own, Linux, any user), external (an engine you run); auto picks dockerd on Linux when its prerequisites are met, else lima if limactl is installed, else external when a socket answers',
    defaultText: 'auto',
  },
  {
    path: 'vm.socket',
    type: 'string',
    description:
      'The engine socket the external driver attaches to, an absolute path (only with vm.driver=external; the socket rdd really uses is in status.vm.socket)',
    defaultText: '"" (external: $DOCKER_HOST, else /var/run/docker.sock)',
  },
  { path: 'vm.cpus', type: 'integer', description: 'CPUs of the Lima VM (only with vm.driver=lima)', defaultText: '2' },
  {
    path: 'vm.memoryGiB',
    type: 'number',
    description: 'Memory of the Lima VM in GiB (only with vm.driver=lima)',
    defaultText: '6',
  },
];

/** How a property's type reads in help and error messages. */
export function describeType(type: PropertyType): string {
  return typeof type === 'string' ? type : type.join('|');
}
