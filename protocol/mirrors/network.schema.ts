/**
 * Network: one per engine network, named by a hash of its ID (names are not unique in Docker: two
 * networks may share one). Not in the Go original.
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
import { networkKind } from '../resource-names.js';

export { networkKind };

/** The networks Docker creates itself and will not remove. */
export const predefinedNetworks = ['bridge', 'host', 'none'] as const;

export const networkStatusSchema = z.object({
  namespace: z.string(),
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.string(),
  internal: z.boolean(),
  attachable: z.boolean(),
  /** The IPAM subnets, sorted. */
  subnets: z.array(z.string()),
  /** IDs of the attached containers, sorted. */
  containers: z.array(z.string()),
  labels: stringMapSchema,
  createdAt: engineTimeSchema,
  /** True for Docker's own bridge, host and none. */
  predefined: z.boolean(),
  conditions: mirrorConditionsSchema,
  observedAt: observedAtSchema,
});
export type NetworkStatus = z.infer<typeof networkStatusSchema>;

export const networkSchema = mirrorResourceSchema(networkKind, networkStatusSchema).describe(
  'A network of the engine, mirrored. Read-only; delete removes it (not bridge, host or none).',
);
export type Network = z.infer<typeof networkSchema>;

/** `net-` + hex sha256(the engine's network ID). */
export function networkMirrorName(id: string): string {
  return hashedName('net-', id);
}
