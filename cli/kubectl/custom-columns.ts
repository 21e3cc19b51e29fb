/**
 * kubectl's `-o custom-columns=NAME:.metadata.name,STATUS:.status.status`: a header and a relaxed
 * JSONPath per column, one row per resource, `<none>` where a path selects nothing.
 */
import { ApiError } from '../../protocol/api-error.js';
import { splitTopLevel } from './jsonpath-path.js';
import { evaluatePath, type PathExpression } from './jsonpath-query.js';
import { formatValue, relaxedPath } from './jsonpath-template.js';
import { renderRows } from './table.js';

export interface CustomColumn {
  readonly header: string;
  readonly path: PathExpression;
}

export interface CustomColumnsOptions {
  readonly noHeaders?: boolean;
}

function invalidColumn(column: string, problem: string, cause?: unknown): ApiError {
  return new ApiError(
    'Invalid',
    `invalid custom-columns column ${JSON.stringify(column)}: ${problem}, expected <header>:<json-path-expr>`,
    { column },
    { cause },
  );
}

/**
 * Parses `HEADER:path,…`. Commas inside brackets, filters and quotes do not split columns, so
 * `IPS:.status.addresses[0,1]` is one column (kubectl splits there; we need not).
 *
 * @throws ApiError Invalid naming the bad column
 */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec.trim() === '') throw new ApiError('Invalid', 'custom-columns format specified but no custom columns given');
  return splitTopLevel(spec, ',').map((column) => {
    const colon = column.indexOf(':');
    if (colon < 0) throw invalidColumn(column, 'no ":"');
    const header = column.slice(0, colon).trim();
    const text = column.slice(colon + 1).trim();
    if (header === '') throw invalidColumn(column, 'empty header');
    if (text === '') throw invalidColumn(column, 'empty path');
    try {
      return { header, path: relaxedPath(text) };
    } catch (error) {
      throw invalidColumn(column, error instanceof Error ? error.message : String(error), error);
    }
  });
}

/** One cell: every value the path selects, comma-joined as kubectl joins them; null counts as missing. */
function cell(column: CustomColumn, item: unknown): string {
  const values = evaluatePath(column.path, item).filter((value) => value !== null && value !== undefined);
  return values.length === 0 ? '<none>' : values.map(formatValue).join(',');
}

/** The table for `items` (resources as the API returns them); `spec` may be parsed once and reused. */
export function renderCustomColumns(
  spec: string | readonly CustomColumn[],
  items: readonly unknown[],
  options: CustomColumnsOptions = {},
): string {
  const columns = typeof spec === 'string' ? parseCustomColumns(spec) : spec;
  const rows = items.map((item) => columns.map((column) => cell(column, item)));
  return renderRows(
    columns.map((column) => column.header),
    rows,
    options.noHeaders,
  );
}
