/** Image mirrors from `docker image inspect`: one per repo tag, or one for a dangling image. */
import type { ImageInspectInfo } from 'dockerode';
import { imageKind, imageMirrorName, type Image } from '../../protocol/mirrors/image.schema.js';
import { mirrorApiVersion, mobyNamespace } from '../../protocol/mirrors/mirror.schema.js';
import { engineTime, sortedRecord, sortedSet, type MirrorOptions } from './canonical.js';

/** What old Docker versions list for an untagged image instead of nothing. */
const noneTag = '<none>:<none>';
const noneDigest = '<none>@<none>';

/**
 * The mirrors of one engine image, sorted by tag: one per repo tag, each named
 * {@link imageMirrorName}(id, tag); an image without tags gets the one mirror with `repoTag` `""`. The
 * caller prunes mirrors of this ID whose names are not in the result (an untag).
 */
export function imageMirrors(inspect: ImageInspectInfo, options: MirrorOptions): Image[] {
  const tags = sortedSet((inspect.RepoTags ?? []).filter((tag) => tag !== noneTag));
  return (tags.length === 0 ? [''] : tags).map((tag) => imageMirror(inspect, tag, options));
}

// Each mirror gets its own arrays and maps: a caller mutating one must not change its siblings.
function imageMirror(inspect: ImageInspectInfo, repoTag: string, { namespace, observedAt }: MirrorOptions): Image {
  return {
    apiVersion: mirrorApiVersion,
    kind: imageKind,
    metadata: { name: imageMirrorName(inspect.Id, repoTag), namespace, labels: sortedRecord(inspect.Config?.Labels) },
    status: {
      namespace: mobyNamespace,
      id: inspect.Id,
      repoTag,
      repoDigests: sortedSet((inspect.RepoDigests ?? []).filter((digest) => digest !== noneDigest)),
      createdAt: engineTime(inspect.Created),
      architecture: inspect.Architecture ?? '',
      os: inspect.Os ?? '',
      size: inspect.Size ?? 0,
      labels: sortedRecord(inspect.Config?.Labels),
      observedAt,
    },
  };
}
