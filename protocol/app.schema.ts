/**
 * The App: the singleton resource `app` that says whether the engine should run and how. Its spec is
 * what users set; its status is written only by the daemon's App actor. The property catalogue (the one
 * source for `rdd set` parsing, its `--help`, and admission messages) is protocol/app-properties.ts.
 */
import { z } from 'zod';
import { conditionSchema } from './condition.schema.js';
import { maxKubernetesVersionLength, maxSocketPathLength } from './limits.js';
import { resourceSchema, type Resource } from './resource.schema.js';
import { engineNames } from './app-properties.js';
import { appApiVersion, appKind, appName } from './resource-names.js';

export { appApiVersion, appKind, appName };

export * from './app-properties.js';

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
