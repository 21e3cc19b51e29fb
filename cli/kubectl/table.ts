/** The aligned table every kubectl-style printer here ends in, with or without its header line. */
import { renderTable } from '../output.js';

/**
 * `renderTable`, or with `noHeaders` the rows alone, aligned among themselves as kubectl's
 * `--no-headers` aligns them (header widths must not pad the columns).
 */
export function renderRows(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  noHeaders = false,
): string {
  if (!noHeaders) return renderTable(headers, rows);
  const [first, ...rest] = rows;
  return first === undefined ? '' : renderTable(first, rest);
}
