/**
 * kubectl's list options that shape a table or list, not what it holds: `--sort-by` (a JSONPath whose
 * first value orders the items, numbers numerically) and `--show-labels` (a LABELS column). Pure.
 */
import { ApiError } from '../../protocol/api-error.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { parsePath } from './jsonpath-path.js';
import { evaluatePath, type PathExpression } from './jsonpath-query.js';

/**
 * `--sort-by=.metadata.name` or `--sort-by='{.status.name}'`, as kubectl takes it.
 *
 * @throws ApiError Invalid naming the problem, for a path that is not `.field…`
 */
export function parseSortBy(text: string): PathExpression {
  const trimmed = text.trim();
  const inner = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1).trim() : trimmed;
  if (!inner.startsWith('.')) {
    throw new ApiError('Invalid', `--sort-by "${text}" is not a JSONPath; write e.g. .metadata.name or {.status.name}`);
  }
  return parsePath(inner);
}

type SortKey = { missing: true } | { missing: false; number: number | null; text: string };

function sortKeyOf(resource: Resource, path: PathExpression): SortKey {
  const [value] = evaluatePath(path, resource);
  if (value === undefined || value === null) return { missing: true };
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { missing: false, number: typeof value === 'number' ? value : null, text };
}

function compareKeys(left: SortKey, right: SortKey): number {
  if (left.missing || right.missing) return Number(!left.missing) - Number(!right.missing);
  if (left.number !== null && right.number !== null) return left.number - right.number;
  return left.text < right.text ? -1 : left.text > right.text ? 1 : 0;
}

/** The items ordered by the path's first value (missing values first, as kubectl); ties keep their order. */
export function sortResources<R extends Resource>(items: readonly R[], path: PathExpression): R[] {
  const keyed = items.map((item) => ({ item, key: sortKeyOf(item, path) }));
  return keyed.sort((left, right) => compareKeys(left.key, right.key)).map(({ item }) => item);
}

/** The LABELS cell: `key=value` pairs by key, comma-separated, or `<none>`. */
export function labelsCell(resource: Resource): string {
  const labels = Object.entries(resource.metadata.labels ?? {}).sort(([left], [right]) => (left < right ? -1 : 1));
  return labels.length === 0 ? '<none>' : labels.map(([key, value]) => `${key}=${value}`).join(',');
}
