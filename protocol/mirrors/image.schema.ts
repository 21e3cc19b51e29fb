/**
 * Image: one per repo tag, so `rdd ctl get images` lists what `docker images` does; an image without
 * tags (dangling) has one mirror for its ID. Names are hashes because tags hold `/` and `:`.
 */
import { z } from 'zod';
import {
  engineTimeSchema,
  hashedName,
  mirrorConditionsSchema,
  mirrorResourceSchema,
  observedAtSchema,
  stringMapSchema,
} from './mirror.schema.js';
import { imageKind } from '../resource-names.js';

export { imageKind };

export const imageStatusSchema = z.object({
  namespace: z.string(),
  id: z.string(),
  /** The tag this mirror stands for; `""` for a dangling image. */
  repoTag: z.string(),
  /** Sorted: Docker does not promise an order, and a reorder must not rewrite the mirror. */
  repoDigests: z.array(z.string()),
  createdAt: engineTimeSchema,
  architecture: z.string(),
  os: z.string(),
  size: z.number().int().nonnegative(),
  labels: stringMapSchema,
  conditions: mirrorConditionsSchema,
  observedAt: observedAtSchema,
});
export type ImageStatus = z.infer<typeof imageStatusSchema>;

export const imageSchema = mirrorResourceSchema(imageKind, imageStatusSchema).describe(
  'An image of the engine, mirrored once per tag (a dangling image once, untagged). Read-only; delete removes the tag.',
);
/** An Image mirror: one per repo tag, or one per ID when dangling. */
export type Image = z.infer<typeof imageSchema>;

/**
 * The name of the mirror of image `id` under `tag`: `img-` + hex sha256(id + "\0" + tag), or
 * `img-` + hex sha256(id) for the dangling image (`tag` empty).
 *
 * @example imageMirrorName('sha256:f746…', 'busybox:latest')
 */
export function imageMirrorName(id: string, tag = ''): string {
  return hashedName('img-', tag === '' ? id : `${id}\0${tag}`);
}
