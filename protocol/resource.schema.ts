/**
 * The Kubernetes-style envelope every stored resource has. Kinds add their own `spec` and `status`
 * schemas; this module fixes only what the store and every client rely on.
 */
import { z } from 'zod';

export const resourceNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;

export const metadataSchema = z.object({
  name: z
    .string()
    .regex(resourceNamePattern, 'names use letters, digits, "_", "." and "-" and start with a letter or digit'),
  namespace: z.string().optional(),
  /** Bumped only when `spec` really changes. */
  generation: z.number().int().nonnegative().optional(),
  /** The KV revision the object was read at; the store fills it in, writers send it back for CAS. */
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  /** What must happen before the object may go (Kubernetes' meaning); the owner removes the object. */
  finalizers: z.array(z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof metadataSchema>;

export const resourceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string().regex(/^[A-Z][A-Za-z]{0,62}$/, 'kinds are CamelCase letters'),
  metadata: metadataSchema,
  spec: z.unknown().optional(),
  status: z.unknown().optional(),
});

/** A resource with typed spec and status. */
export interface Resource<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
}

/** The form of a list in JSON output and API replies (as kubectl prints it). */
export interface ResourceList<R extends Resource = Resource> {
  apiVersion: 'v1';
  kind: 'List';
  items: R[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change seen by a watch; `revision` lets a client resume after a disconnect. */
export interface WatchEvent<R extends Resource = Resource> {
  type: WatchEventType;
  object: R;
  revision: number;
}
