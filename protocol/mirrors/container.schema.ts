/**
 * Container: one per engine container, named by its full engine ID. `spec.state` is the only field users
 * write (the container actor converges the engine towards it); `status` is the engine's, except the
 * container actor's `conditions` and `lastAction`.
 */
import { z } from 'zod';
import { conditionSchema } from '../condition.schema.js';
import { engineTimeSchema, mirrorResourceSchema, observedAtSchema, stringMapSchema } from './mirror.schema.js';
import { containerKind } from '../resource-names.js';

export { containerKind };

/** `spec.state`: `unknown` (the default) observes only; the others are converged towards. */
export const containerDesiredStates = ['unknown', 'created', 'running', 'paused'] as const;
export type ContainerDesiredState = (typeof containerDesiredStates)[number];

/** `status.status`: Docker's `State.Status`; anything Docker reports outside this list is `unknown`. */
export const containerStates = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
  'unknown',
] as const;
export type ContainerState = (typeof containerStates)[number];

/** The one-shot actions a user may ask for; the outcome of the latest is `status.lastAction`. */
export const containerActions = ['start', 'stop', 'pause', 'unpause', 'restart', 'kill'] as const;
export type ContainerAction = (typeof containerActions)[number];

export const containerSpecSchema = z
  .object({
    state: z
      .enum(containerDesiredStates)
      .default('unknown')
      .describe(
        'The state rdd keeps the container in: unknown only observes; created, running and paused are converged to. A change made outside rdd sets it back to unknown.',
      ),
  })
  .strict()
  .describe('What you want of the container: the only writable part of a mirror.');
export type ContainerSpec = z.infer<typeof containerSpecSchema>;

/** One host binding of a port; both strings, as Docker reports them (`hostIP` `""` means all). */
export const portBindingSchema = z.object({ hostIP: z.string(), hostPort: z.string() });
export type PortBinding = z.infer<typeof portBindingSchema>;

/** A port by name (`80/tcp`). Bindings are sorted by hostIP, then hostPort; an exposed-only port has none. */
export const containerPortSchema = z.object({
  name: z.string().regex(/^\d+(-\d+)?\/[a-z]+$/, 'port names read <port>/<protocol>, e.g. 80/tcp'),
  bindings: z.array(portBindingSchema),
});
export type ContainerPort = z.infer<typeof containerPortSchema>;

/**
 * The latest one-shot action: observedAt is when it was requested, completedAt when it finished.
 * `Running` (no completedAt yet) from the moment it is accepted until it ends.
 */
export const lastActionSchema = z.object({
  action: z.enum(containerActions),
  state: z.enum(['Running', 'Succeeded', 'Failed']),
  error: z.string().optional(),
  observedAt: z.string(),
  completedAt: z.string().optional(),
});

/**
 * The Go original's one-shot action interface: the annotation is on the mirror while the action runs
 * and gone once it has finished, so "annotation gone" means "done".
 */
export const containerActionAnnotation = 'containers.rancherdesktop.io/action';
export type LastAction = z.infer<typeof lastActionSchema>;

export const containerStatusSchema = z.object({
  /** Docker's name without the leading `/`. */
  name: z.string().describe("Docker's name of the container, without the leading /."),
  namespace: z.string(),
  path: z.string(),
  args: z.array(z.string()),
  /** The image ID the container runs. */
  image: z.string(),
  /** The image as the container was created with it (`Config.Image`), e.g. `busybox:latest`. */
  imageName: z.string(),
  /** Sorted by name. */
  ports: z.array(containerPortSchema),
  labels: stringMapSchema,
  status: z.enum(containerStates).describe("The engine's state of the container."),
  pid: z.number().int().nonnegative(),
  exitCode: z.number().int(),
  error: z.string(),
  oomKilled: z.boolean(),
  /** The health check's status (`starting`, `healthy`, `unhealthy`), or null without a health check. */
  health: z.string().nullable(),
  restartCount: z.number().int().nonnegative(),
  createdAt: engineTimeSchema,
  startedAt: engineTimeSchema,
  finishedAt: engineTimeSchema,
  /** Names of the networks the container is attached to, sorted. */
  networks: z.array(z.string()),
  conditions: z.array(conditionSchema),
  lastAction: lastActionSchema.optional().describe('The latest one-shot action and its outcome.'),
  observedAt: observedAtSchema,
});
export type ContainerStatus = z.infer<typeof containerStatusSchema>;

export const containerSchema = mirrorResourceSchema(containerKind, containerStatusSchema)
  .extend({ spec: containerSpecSchema })
  .describe('A container of the engine, mirrored: status is what the engine reports, spec.state what rdd keeps it in.');
/** A Container mirror; `metadata.name` is the full engine ID. */
export type Container = z.infer<typeof containerSchema>;
