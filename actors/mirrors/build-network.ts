/** Network mirrors from `docker network inspect`. */
import type { NetworkInspectInfo } from 'dockerode';
import { mirrorApiVersion, mobyNamespace } from '../../protocol/mirrors/mirror.schema.js';
import {
  networkKind,
  networkMirrorName,
  predefinedNetworks,
  type Network,
} from '../../protocol/mirrors/network.schema.js';
import { engineTime, sortedRecord, sortedSet, type MirrorOptions } from './canonical.js';

/**
 * The Network mirror of `inspect`, named {@link networkMirrorName}(its ID). Subnets and container IDs are
 * sorted. `containers` is only filled from an inspect: `docker network ls` reports none.
 */
export function networkMirror(inspect: NetworkInspectInfo, { namespace, observedAt }: MirrorOptions): Network {
  const subnets = (inspect.IPAM?.Config ?? []).flatMap((config) => (config.Subnet ? [config.Subnet] : []));
  return {
    apiVersion: mirrorApiVersion,
    kind: networkKind,
    metadata: { name: networkMirrorName(inspect.Id), namespace, labels: sortedRecord(inspect.Labels) },
    status: {
      namespace: mobyNamespace,
      id: inspect.Id,
      name: inspect.Name,
      driver: inspect.Driver,
      scope: inspect.Scope,
      internal: inspect.Internal,
      attachable: inspect.Attachable,
      subnets: sortedSet(subnets),
      containers: sortedSet(Object.keys(inspect.Containers ?? {})),
      labels: sortedRecord(inspect.Labels),
      createdAt: engineTime(inspect.Created),
      predefined: predefinedNetworks.some((name) => name === inspect.Name),
      observedAt,
    },
  };
}
