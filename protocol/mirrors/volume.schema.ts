/** Volume: one per engine volume, named by a hash of the volume's name. */
import { z } from 'zod';
import {
  engineTimeSchema,
  hashedName,
  mirrorConditionsSchema,
  mirrorResourceSchema,
  observedAtSchema,
  stringMapSchema,
} from './mirror.schema.js';
import { volumeKind } from '../resource-names.js';

export { volumeKind };

export const volumeStatusSchema = z.object({
  /** The engine's volume name (anonymous volumes have a 64-hex name). */
  name: z.string(),
  namespace: z.string(),
  createdAt: engineTimeSchema,
  driver: z.string(),
  mountpoint: z.string(),
  labels: stringMapSchema,
  scope: z.string(),
  /** The driver options the volume was created with, keys sorted. */
  options: stringMapSchema,
  conditions: mirrorConditionsSchema,
  observedAt: observedAtSchema,
});
export type VolumeStatus = z.infer<typeof volumeStatusSchema>;

export const volumeSchema = mirrorResourceSchema(volumeKind, volumeStatusSchema).describe(
  'A volume of the engine, mirrored. Read-only; delete removes the volume.',
);
export type Volume = z.infer<typeof volumeSchema>;

/** `vol-` + hex sha256(the engine's volume name). */
export function volumeMirrorName(name: string): string {
  return hashedName('vol-', name);
}
