/**
 * The names the API's resources go by (kinds, API versions, the App's name, the mirrors' namespace), the
 * trace header, and how a condition is found, as plain TypeScript. The CLI's read commands use these
 * without loading a schema (client/README.md); the schema modules re-export them, so each name is
 * written once.
 */
export const appApiVersion = 'app.rancherdesktop.io/v1alpha1';
export const appKind = 'App';
export const appName = 'app';

export const mirrorApiVersion = 'containers.rancherdesktop.io/v1alpha1';
/**
 * The namespace every mirror lives in (`metadata.namespace`), as kubectl sees it: one per instance, so
 * `-n rancher-desktop` (or no `-n`) finds the mirrors and any other namespace is simply empty.
 */
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

/** Marks each part of a reply too large for one bus message: `<part>/<parts>`, from `1/N` (actors/bus/request-server.ts). */
export const replyPartHeader = 'Rdd-Reply-Part';

/** The condition of `type` in a list, if there is one (any condition shape: this module loads no schema). */
export function findCondition<C extends { type: string }>(
  conditions: readonly C[] | undefined,
  type: string,
): C | undefined {
  return conditions?.find((condition) => condition.type === type);
}
