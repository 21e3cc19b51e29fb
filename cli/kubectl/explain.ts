/**
 * `rdd ctl explain KIND[.field.path]`: kubectl explain's text, generated from the kinds' zod schemas
 * (z.toJSONSchema), so it says exactly what admission accepts. Descriptions are the schemas' own
 * `.describe()` texts. Pure: schemas in, text out.
 */
import { z } from 'zod';
import { appSchema } from '../../protocol/app.schema.js';
import { ApiError } from '../../protocol/api-error.js';
import {
  containerNamespaceSchema,
  containerSchema,
  groupOf,
  imageSchema,
  networkSchema,
  versionOf,
  volumeSchema,
  type KindInfo,
  type KindName,
} from '../../protocol/mirrors/index.js';

/** The part of JSON Schema that z.toJSONSchema produces for these schemas. */
interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
}

const kindSchemas: Readonly<Record<KindName, z.ZodType>> = {
  App: appSchema,
  Container: containerSchema,
  Image: imageSchema,
  Volume: volumeSchema,
  Network: networkSchema,
  ContainerNamespace: containerNamespaceSchema,
};

function jsonSchemaOf(kind: KindName): JsonSchema {
  return z.toJSONSchema(kindSchemas[kind], { io: 'output', unrepresentable: 'any' }) as JsonSchema;
}

/** A nullable or optional field is shown as its value's type, as kubectl does. */
function unwrap(node: JsonSchema): JsonSchema {
  if (Array.isArray(node.type)) {
    const types = node.type.filter((type) => type !== 'null');
    return { ...node, type: types.length === 1 ? types[0] : types.join('|') };
  }
  const options = node.anyOf?.filter((option) => option.type !== 'null') ?? [];
  if (options.length === 1) return { ...options[0], description: node.description ?? options[0]!.description };
  return node;
}

function typeName(raw: JsonSchema): string {
  const node = unwrap(raw);
  if (node.type === 'array') return `[]${node.items ? typeName(node.items) : 'any'}`;
  if (node.type === 'object') {
    if (node.properties) return 'Object';
    const values = node.additionalProperties;
    return `map[string]${typeof values === 'object' ? typeName(values) : 'any'}`;
  }
  if (node.const !== undefined) return typeof node.const;
  return typeof node.type === 'string' ? node.type : 'any';
}

/** Objects inside arrays are explained by their items' fields (`status.ports.bindings`). */
function fieldsOf(raw: JsonSchema): Record<string, JsonSchema> | undefined {
  const node = unwrap(raw);
  return node.type === 'array' && node.items ? fieldsOf(node.items) : node.properties;
}

function enumOf(raw: JsonSchema): unknown[] | undefined {
  const node = unwrap(raw);
  return node.type === 'array' && node.items ? enumOf(node.items) : node.enum;
}

function wrap(text: string, indent: string, width = 80): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        lines.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(indent + line);
  }
  return lines;
}

function requiredIn(raw: JsonSchema): Set<string> {
  const node = unwrap(raw);
  return new Set((node.type === 'array' && node.items ? unwrap(node.items) : node).required ?? []);
}

/**
 * kubectl explain's text for `info`'s kind, or for the field at `path` (`spec.state`).
 *
 * @throws ApiError Invalid naming the field that does not exist and the fields there are
 */
export function explain(info: KindInfo, path: readonly string[]): string {
  let node = jsonSchemaOf(info.kind);
  const walked: string[] = [info.kind];
  for (const segment of path) {
    const fields = fieldsOf(node);
    const next = fields?.[segment];
    if (!next) {
      const valid = Object.keys(fields ?? {});
      throw new ApiError(
        'Invalid',
        `field "${segment}" does not exist in ${walked.join('.')}` +
          (valid.length > 0 ? `; its fields: ${valid.join(', ')}` : `, a ${typeName(node)} without fields`),
      );
    }
    node = next;
    walked.push(segment);
  }
  const lines = [`GROUP:      ${groupOf(info)}`, `KIND:       ${info.kind}`, `VERSION:    ${versionOf(info)}`, ''];
  const field = path.at(-1);
  if (field !== undefined) lines.push(`FIELD: ${field} <${typeName(node)}>`, '');
  const values = enumOf(node);
  if (values) lines.push('ENUM:', ...values.map((value) => `    ${String(value)}`), '');
  lines.push('DESCRIPTION:', ...wrap(unwrap(node).description ?? '<empty>', '    '), '');
  const fields = fieldsOf(node);
  if (fields) {
    const required = requiredIn(node);
    lines.push('FIELDS:');
    for (const [name, child] of Object.entries(fields)) {
      lines.push(`  ${name}\t<${typeName(child)}>${required.has(name) ? ' -required-' : ''}`);
      lines.push(...wrap(unwrap(child).description ?? '<no description>', '    '), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
