/**
 * ContainerNamespace: the engine's namespaces; moby has exactly one, `moby`. Metadata only. The daemon
 * manages it: it exists while the engine is mirrored and cannot be deleted by users.
 */
import { z } from 'zod';
import { resourceSchema } from '../resource.schema.js';
import { mirrorApiVersion, mirrorMetadataSchema } from './mirror.schema.js';
import { containerNamespaceKind } from '../resource-names.js';

export { containerNamespaceKind };

export const containerNamespaceSchema = resourceSchema
  .extend({
    apiVersion: z.literal(mirrorApiVersion),
    kind: z.literal(containerNamespaceKind),
    metadata: mirrorMetadataSchema,
  })
  .omit({ spec: true, status: true })
  .strict()
  .describe('A namespace of the container engine (moby): exists while that engine runs.');
export type ContainerNamespace = z.infer<typeof containerNamespaceSchema>;
