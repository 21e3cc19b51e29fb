/**
 * What every mirror kind shares: the API group, the engine namespace, the metadata every mirror carries
 * and the hashed names. Mirrors are written only by the daemon's engine actors; users read them (and set
 * `spec` where a kind has one).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { conditionSchema } from '../condition.schema.js';
import { metadataSchema, resourceSchema } from '../resource.schema.js';
import { mirrorApiVersion, mirrorNamespace } from '../resource-names.js';

export { mirrorApiVersion, mirrorNamespace };

/** moby has one engine namespace: every mirror's `status.namespace` and the one ContainerNamespace. */
export const mobyNamespace = 'moby';

/** Engine labels (and volume options) as stored: string to string, keys in code-point order. */
export const stringMapSchema = z.record(z.string(), z.string());

/**
 * A mirror's metadata: always in a namespace (the App's, e.g. `rancher-desktop`), and `labels` are the
 * engine object's own labels, so `-l` selectors work on engine labels.
 */
export const mirrorMetadataSchema = metadataSchema.extend({
  namespace: z.string().min(1).describe('Always rancher-desktop: the namespace of every mirror.'),
  labels: stringMapSchema,
});
export type MirrorMetadata = z.infer<typeof mirrorMetadataSchema>;

/** An engine time in UTC ISO 8601, or null when the engine has none (Docker's `0001-01-01T00:00:00Z`). */
export const engineTimeSchema = z.iso.datetime().nullable();

/**
 * When rdd last saw the engine object, so a client can show staleness. The only status field that changes
 * without the engine object changing, so writers compare mirrors without it.
 */
export const observedAtSchema = z.iso.datetime();

/** `<prefix><hex sha256(text)>`: engine names and ids may hold characters a resource name cannot. */
export function hashedName(prefix: string, text: string): string {
  return prefix + createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The envelope every mirror kind shares: its apiVersion and kind, mirror metadata, and its status. */
export function mirrorResourceSchema<K extends string, S extends z.ZodType>(kind: K, status: S) {
  return resourceSchema.extend({
    apiVersion: z.literal(mirrorApiVersion),
    kind: z.literal(kind),
    metadata: mirrorMetadataSchema,
    status,
  });
}

/**
 * Conditions the owning actor adds to a mirror that has none of its own from the engine (a failed delete:
 * `DeleteFailed` with the engine's message). Absent when there are none, so a plain mirror stays small.
 */
export const mirrorConditionsSchema = z.array(conditionSchema).optional();
