/** Printing data on stdout in the forms every read command offers. Progress and errors go to stderr. */
import type * as Yaml from 'yaml';

export type OutputFormat = 'table' | 'json' | 'yaml' | 'name' | 'shell';

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function renderYaml(value: unknown): string {
  // yaml takes ~0.08 s to load: only a command that prints YAML pays for it (issue 13).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stringify } = require('yaml') as typeof Yaml;
  return stringify(value);
}

/** The object a command produced, in the form `-o` asked for. */
export function renderResult(value: unknown, form: 'json' | 'yaml'): string {
  return form === 'json' ? renderJson(value) : renderYaml(value);
}

/** A plain, aligned table; `rows` are already strings. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('   ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

/** `export RDD_KEY="value"` lines a shell can `eval`. */
export function renderShell(entries: Record<string, string>, prefix = 'RDD_'): string {
  const quote = (value: string): string => `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
  return Object.entries(entries)
    .map(([key, value]) => `export ${prefix}${key.toUpperCase()}=${quote(value)}\n`)
    .join('');
}
