/**
 * Which resources a ctl command means: a kind, maybe names, a namespace, field and label selectors.
 * The same test decides a list and each change of a watch, so `get` and `get -w` agree.
 */
import { NotFoundError } from '../../protocol/api-error.js';
import { appKind, mirrorNamespace } from '../../protocol/resource-names.js';
import type { Resource } from '../../protocol/resource.schema.js';
import type { ShapeCheckedStore } from '../../client/shape-checked-store.js';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  type FieldRequirement,
  type LabelRequirement,
} from '../kubectl/index.js';
import { findByName, type Target } from './target.js';

export interface Selection {
  target: Target;
  /** The namespace asked for; undefined with --all-namespaces. */
  namespace: string | undefined;
  fields: FieldRequirement[];
  labels: LabelRequirement[];
}

export interface SelectionFlags {
  namespace?: string;
  'all-namespaces'?: boolean;
  'field-selector'?: string;
  selector?: string;
}

export function selectionOf(target: Target, flags: SelectionFlags): Selection {
  return {
    target,
    // kubectl reads `-n ""` as the default namespace, not as a namespace with an empty name.
    namespace: flags['all-namespaces'] ? undefined : flags.namespace || mirrorNamespace,
    fields: flags['field-selector'] ? parseFieldSelector(flags['field-selector'], target.info.kind) : [],
    labels: flags.selector ? parseLabelSelector(flags.selector) : [],
  };
}

/** Whether `resource` is in the selection's namespace and matches its selectors (names aside). */
export function matchesSelection(resource: Resource, selection: Selection): boolean {
  // The App is cluster-scoped, as in kubectl: a namespace never hides it.
  const inNamespace =
    resource.kind === appKind ||
    selection.namespace === undefined ||
    resource.metadata.namespace === selection.namespace;
  return inNamespace && matchesFields(resource, selection.fields) && matchesLabels(resource, selection.labels);
}

/** The namespace kubectl would name in "No resources found in … namespace.", if any. */
export function namespaceShown(selection: Selection): string | undefined {
  return selection.target.info.kind === appKind ? undefined : selection.namespace;
}

/**
 * Lists the selection. With names, every name must match (in the namespace and selectors): the ones
 * that do are returned with the names that did not, so a caller can print the first and fail on the rest.
 */
export async function selectResources(
  store: ShapeCheckedStore,
  selection: Selection,
): Promise<{ items: Resource[]; missing: string[] }> {
  const all = (await store.list(selection.target.info.kind)).filter((resource) =>
    matchesSelection(resource, selection),
  );
  if (selection.target.names.length === 0) return { items: all, missing: [] };
  const items: Resource[] = [];
  const missing: string[] = [];
  for (const name of selection.target.names) {
    const found = findByName(all, name);
    if (found) items.push(found);
    else missing.push(name);
  }
  return { items, missing };
}

/** The error for names that matched nothing: kubectl's NotFound, one line per name. */
export function notFound(selection: Selection, missing: readonly string[]): NotFoundError {
  const kind = selection.target.info.aliases[0];
  const where = selection.namespace === undefined ? '' : ` in namespace ${selection.namespace}`;
  return new NotFoundError(missing.map((name) => `${kind} "${name}" not found${where}`).join('\n'));
}
