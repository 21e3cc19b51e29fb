/**
 * The App: the singleton resource `app` that says whether the engine should run and how. Its spec is
 * what users set; its status is written only by the daemon's App actor. The property catalogue below is
 * the one source for `rdd set` parsing, its `--help`, and admission messages.
 */
import { z } from 'zod';
import { conditionSchema } from './condition.schema.js';
import { maxKubernetesVersionLength, maxSocketPathLength } from './limits.js';
import { resourceSchema, type Resource } from './resource.schema.js';

export const appApiVersion = 'app.rancherdesktop.io/v1alpha1';
export const appKind = 'App';
export const appName = 'app';

export const engineNames = ['moby', 'containerd'] as const;
export const vmDrivers = ['auto', 'lima', 'dockerd', 'external'] as const;
export type EngineName = (typeof engineNames)[number];
export type VmDriverName = Exclude<(typeof vmDrivers)[number], 'auto'>;

export const appSpecSchema = z
  .object({
    running: z.boolean().describe('Whether the VM and its container engine should run.'),
    containerEngine: z.object({ name: z.enum(engineNames), mirrorImages: z.boolean() }).strict(),
    kubernetes: z.object({ enabled: z.boolean(), version: z.string().max(maxKubernetesVersionLength) }).strict(),
    vm: z
      .object({
        /** Resolved at admission: a stored App never says `auto`. */
        driver: z
          .enum(['lima', 'dockerd', 'external'])
          .describe('Where the engine runs: a Lima VM, a local dockerd, or an external engine socket.'),
        /** Only for vm.driver=external; empty unless the user set it (status.vm.socket is the real one). */
        socket: z.string().max(maxSocketPathLength),
        cpus: z.number().int().positive().optional(),
        memoryGiB: z.number().positive().optional(),
      })
      .strict(),
  })
  .strict();
export type AppSpec = z.infer<typeof appSpecSchema>;

export const appStatusSchema = z.object({
  conditions: z.array(conditionSchema),
  /**
   * What the VM actor last reported: the driver's engine pid, the socket the engine really answers on
   * (whatever the driver), the docker CLI context that points at it while it runs, and how often the
   * VM actor restarted. All optional, so an App stored by an older rdd stays readable.
   */
  vm: z
    .object({
      enginePid: z.number().int().optional(),
      socket: z.string().optional(),
      dockerContext: z.string().optional(),
      restarts: z.number().int(),
    })
    .optional(),
});
export type AppStatus = z.infer<typeof appStatusSchema>;
export type App = Resource<AppSpec, AppStatus> & { spec: AppSpec; status: AppStatus };

export const appSchema = resourceSchema
  .extend({ spec: appSpecSchema, status: appStatusSchema })
  .describe('The one App of an instance: spec is what rdd set changes, status what the daemon reports.');

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
