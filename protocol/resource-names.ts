/**
 * The names the API's resources go by (kinds, API versions, the App's name, the mirrors' namespace), the
 * trace header, and how a condition is found, as plain TypeScript. The CLI's read commands use these
 * without loading a schema (client/README.md); the schema modules keep their own constants, and
 * resource-names.test.ts holds the two equal.
 */
import type { Condition } from './condition.schema.js';

export const appApiVersion = 'app.rancherdesktop.io/v1alpha1';
export const appKind = 'App';
export const appName = 'app';

export const mirrorApiVersion = 'containers.rancherdesktop.io/v1alpha1';
/** The one namespace every mirror lives in, as kubectl sees it (protocol/mirrors/mirror.schema.ts). */
export const mirrorNamespace = 'rancher-desktop';

export const containerKind = 'Container';
export const imageKind = 'Image';
export const volumeKind = 'Volume';
export const networkKind = 'Network';
export const containerNamespaceKind = 'ContainerNamespace';

/** Why the daemon refused an `app.set` as a conflict (its ApiError's details.reason). */
export const setConflictReasons = { baseMoved: 'BaseMoved', outcomeUnknown: 'OutcomeUnknown' } as const;

/** The header that carries a request id across the bus. */
export const traceHeader = 'Rdd-Trace';

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}
