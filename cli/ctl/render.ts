/**
 * `-o` for ctl reads: parse the format once (a bad one is a usage error listing every form), then
 * render a list, one object, or one watch event. The kubectl layer (cli/kubectl) does the formats.
 */
import type { Resource, ResourceList, WatchEvent } from '../../protocol/resource.schema.js';
import { UsageError } from '../exit-codes.js';
import {
  parseCustomColumns,
  parseTemplate,
  renderCustomColumns,
  renderNames,
  renderResources,
  renderTemplate,
  renderTemplateAsJson,
  resourceName,
  type CustomColumn,
  type Rendered,
  type Template,
} from '../kubectl/index.js';
import { renderYaml } from '../output.js';

export type Output =
  | { form: 'table' | 'wide' | 'json' | 'yaml' | 'name' }
  | { form: 'jsonpath' | 'jsonpath-as-json'; template: Template }
  | { form: 'custom-columns'; columns: CustomColumn[] };

export const outputForms =
  'table, wide, json, yaml, name, jsonpath=TEMPLATE, jsonpath-as-json=TEMPLATE, custom-columns=NAME:.path,…';

export function parseOutput(text: string | undefined): Output {
  const value = text ?? 'table';
  const equals = value.indexOf('=');
  const form = equals < 0 ? value : value.slice(0, equals);
  const argument = equals < 0 ? '' : value.slice(equals + 1);
  switch (form) {
    case 'table':
    case 'wide':
    case 'json':
    case 'yaml':
    case 'name':
      if (equals >= 0) break;
      return { form };
    case 'jsonpath':
    case 'jsonpath-as-json':
      if (!argument) throw new UsageError(`-o ${form} needs a template, e.g. -o ${form}='{.items[*].metadata.name}'`);
      return { form, template: parseTemplate(argument) };
    case 'custom-columns':
      if (!argument) throw new UsageError('-o custom-columns needs columns, e.g. -o custom-columns=NAME:.status.name');
      return { form, columns: parseCustomColumns(argument) };
  }
  throw new UsageError(`unknown output format "${value}"; valid formats: ${outputForms}`);
}

export function listOf(items: readonly Resource[]): ResourceList {
  return { apiVersion: 'v1', kind: 'List', items: [...items] };
}

export interface RenderOptions {
  noHeaders: boolean;
  namespace: string | undefined;
  now: Date;
  /** A single object was asked for by name: json/yaml/jsonpath show it rather than a List. */
  single: boolean;
  /** Tables: a LABELS column (`--show-labels`). */
  showLabels?: boolean;
  /** Tables: names as `kind/NAME`, for lists of several kinds. */
  kindPrefix?: boolean;
}

export function renderList(items: readonly Resource[], output: Output, options: RenderOptions): Rendered {
  const data = options.single && items.length === 1 ? items[0] : listOf(items);
  const data_ = (text: string): Rendered => ({ stdout: text, stderr: '' });
  switch (output.form) {
    case 'table':
    case 'wide':
      return renderResources(items, {
        format: output.form,
        noHeaders: options.noHeaders,
        now: options.now,
        namespace: options.namespace,
        showLabels: options.showLabels,
        kindPrefix: options.kindPrefix,
      });
    case 'name':
      return renderNames(items);
    case 'json':
      return data_(`${JSON.stringify(data, null, 2)}\n`);
    case 'yaml':
      return data_(renderYaml(data));
    case 'jsonpath':
      return data_(renderTemplate(output.template, data));
    case 'jsonpath-as-json':
      return data_(`${renderTemplateAsJson(output.template, data)}\n`);
    case 'custom-columns':
      return data_(renderCustomColumns(output.columns, items, { noHeaders: options.noHeaders }));
  }
}

/**
 * One watch event. JSON is one compact `{"type","object"}` line per change (what scripts parse); the
 * other forms show the object as `get` would, with the event type in front when `withType` is set.
 */
export function renderWatchEvent(
  event: WatchEvent,
  output: Output,
  options: { withType: boolean; first: boolean; now: Date },
): string {
  const { type, object } = event;
  switch (output.form) {
    case 'json':
      return `${JSON.stringify({ type, object })}\n`;
    case 'yaml':
      return `---\n${renderYaml(options.withType ? { type, object } : object)}`;
    case 'name':
      return `${options.withType ? `${type} ` : ''}${resourceName(object)}\n`;
    case 'jsonpath':
      return renderTemplate(output.template, options.withType ? { type, object } : object);
    case 'jsonpath-as-json':
      return `${renderTemplateAsJson(output.template, options.withType ? { type, object } : object)}\n`;
    case 'custom-columns':
      return renderCustomColumns(output.columns, [object], { noHeaders: !options.first });
    case 'table':
    case 'wide': {
      const { stdout } = renderResources([object], {
        format: output.form,
        noHeaders: !options.first,
        now: options.now,
      });
      if (!options.withType) return stdout;
      const lines = stdout.trimEnd().split('\n');
      const typed = lines.map((line, index) =>
        options.first && index === 0 ? `EVENT      ${line}` : `${type.padEnd(10)} ${line}`,
      );
      return `${typed.join('\n')}\n`;
    }
  }
}
