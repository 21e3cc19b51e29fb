/** Any mirror kind, for code that handles them alike (the writer, `get`, validation of stored values). */
import { z } from 'zod';
import { containerNamespaceSchema } from './container-namespace.schema.js';
import { containerSchema } from './container.schema.js';
import { imageSchema } from './image.schema.js';
import { networkSchema } from './network.schema.js';
import { volumeSchema } from './volume.schema.js';

export const mirrorSchema = z.discriminatedUnion('kind', [
  containerSchema,
  imageSchema,
  volumeSchema,
  networkSchema,
  containerNamespaceSchema,
]);
export type Mirror = z.infer<typeof mirrorSchema>;
