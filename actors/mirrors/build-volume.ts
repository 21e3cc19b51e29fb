/** Volume mirrors from `docker volume inspect`. */
import type { VolumeInspectInfo } from 'dockerode';
import { mirrorApiVersion, mobyNamespace } from '../../protocol/mirrors/mirror.schema.js';
import { volumeKind, volumeMirrorName, type Volume } from '../../protocol/mirrors/volume.schema.js';
import { engineTime, sortedRecord, type MirrorOptions } from './canonical.js';

/**
 * What Docker's volume inspect returns. @types/dockerode lacks `CreatedAt` (the API has had it since
 * 1.24), and Docker sends `null` labels for a volume created without any.
 */
export type VolumeInspect = Omit<VolumeInspectInfo, 'Labels'> & {
  CreatedAt?: string;
  Labels: Record<string, string> | null;
};

/** The Volume mirror of `inspect`, named {@link volumeMirrorName}(its name); labels and options sorted. */
export function volumeMirror(inspect: VolumeInspect, { namespace, observedAt }: MirrorOptions): Volume {
  return {
    apiVersion: mirrorApiVersion,
    kind: volumeKind,
    metadata: { name: volumeMirrorName(inspect.Name), namespace, labels: sortedRecord(inspect.Labels) },
    status: {
      name: inspect.Name,
      namespace: mobyNamespace,
      createdAt: engineTime(inspect.CreatedAt),
      driver: inspect.Driver,
      mountpoint: inspect.Mountpoint,
      labels: sortedRecord(inspect.Labels),
      scope: inspect.Scope,
      options: sortedRecord(inspect.Options),
      observedAt,
    },
  };
}
