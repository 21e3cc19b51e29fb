/**
 * The Kubernetes-style envelope every stored resource has. Kinds add their own `spec` and `status`
 * schemas; this module fixes only what the store and every client rely on.
 */
import { z } from 'zod';
import { maxNameLength } from './limits.js';

/**
 * A name is one token of a KV key (`<Kind>.<name>`) and of a mirror's subject
 * (`…mirrors.<Kind>.<name>.<verb>`), so it holds no "." (no empty or extra token), no "/", "*", ">" or
 * space. Every name rdd writes fits: `app`, `moby`, container IDs and the hashed `img-`/`vol-`/`net-`
 * names; users reach other objects by their engine names through the CLI, which looks them up.
 */
export const resourceNamePattern = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{0,${maxNameLength - 1}}$`);
export const resourceNameRule = `names are 1-${maxNameLength} letters, digits, "_" and "-", starting with a letter or digit (no "." or "/")`;

export const metadataSchema = z.object({
  name: z
    .string()
    .regex(resourceNamePattern, resourceNameRule)
    .describe(
      "The object's name, unique per kind and namespace. For mirrors, derived from the engine object (a container's full ID).",
    ),
  namespace: z
    .string()
    .optional()
    .describe('The namespace of the object; mirrors are in rancher-desktop, the App in none.'),
  /** Bumped only when `spec` really changes. */
  generation: z.number().int().nonnegative().optional().describe('Bumped each time spec changes.'),
  /** The KV revision the object was read at; the store fills it in, writers send it back for CAS. */
  resourceVersion: z
    .string()
    .optional()
    .describe('The store revision the object was read at; sent back to change it only if nobody else did.'),
  creationTimestamp: z.string().optional().describe('When the object was first stored (RFC 3339).'),
  deletionTimestamp: z.string().optional().describe('When its deletion was asked for; set while it is Terminating.'),
  /** What must happen before the object may go (Kubernetes' meaning); the owner removes the object. */
  finalizers: z.array(z.string()).optional().describe('What must happen before the object may go.'),
  labels: z
    .record(z.string(), z.string())
    .optional()
    .describe("For mirrors, the engine object's own labels: what -l selects on."),
  annotations: z
    .record(z.string(), z.string())
    .optional()
    .describe('Notes on the object; containers.rancherdesktop.io/action asks a container for a one-shot action.'),
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
