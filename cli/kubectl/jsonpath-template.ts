/**
 * kubectl's `-o jsonpath=TEMPLATE` and `-o jsonpath-as-json=TEMPLATE`: literal text and `{…}` actions —
 * paths, quoted strings, `{range …}…{end}` — rendered the way kubectl renders them with
 * allowMissingKeys (a missing field prints nothing). Paths are parsed and run by jsonpath-path.ts.
 */
import { ApiError } from '../../protocol/api-error.js';
import { parsePath, templateError } from './jsonpath-path.js';
import { evaluatePath, type PathExpression } from './jsonpath-query.js';

export type TemplateNode =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'path'; readonly path: PathExpression }
  | { readonly type: 'range'; readonly path: PathExpression; readonly body: readonly TemplateNode[] };

export interface Template {
  /** The template as parsed, after wrapping a bare path in braces. */
  readonly source: string;
  readonly nodes: readonly TemplateNode[];
}

/** An open `{range}` while parsing: where it started, for the error when no `{end}` closes it. */
interface Frame {
  readonly path: PathExpression;
  readonly start: number;
  readonly body: TemplateNode[];
}

const escapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '0': '\0',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/**
 * kubectl takes `.a.b` for `{.a.b}`: text with no braces that starts like a path is one action, so
 * `-o jsonpath=.metadata.name` works. Anything else is a template, literal text included.
 */
function relax(text: string): string {
  const trimmed = text.trim();
  return !/[{}]/.test(trimmed) && /^[.$@[]/.test(trimmed) ? `{${trimmed}}` : text;
}

/** The index of the `}` closing the action opened at `open`, or -1; braces inside quotes do not count. */
function actionEnd(text: string, open: number): number {
  let quote: string | undefined;
  for (let index = open + 1; index < text.length; index += 1) {
    const char = text[index];
    if (quote !== undefined) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '}') {
      return index;
    }
  }
  return -1;
}

/** A `"…"` or `'…'` literal with Go's escapes, as kubectl's UnquoteExtend reads it. */
function unquote(literal: string, fail: (problem: string) => never): string {
  const quote = literal[0] ?? '';
  if (literal.length < 2 || !literal.endsWith(quote)) return fail(`malformed string ${literal}`);
  let text = '';
  for (let index = 1; index < literal.length - 1; index += 1) {
    const char = literal[index] ?? '';
    if (char === quote) return fail(`unexpected ${quote} inside string ${literal}`);
    if (char !== '\\') {
      text += char;
      continue;
    }
    index += 1;
    const escaped = literal[index] ?? '';
    const hex = escaped === 'u' ? /^[0-9a-fA-F]{4}/.exec(literal.slice(index + 1)) : null;
    if (hex) {
      text += String.fromCharCode(parseInt(hex[0], 16));
      index += 4;
    } else if (escapes[escaped] !== undefined && index < literal.length - 1) {
      text += escapes[escaped];
    } else {
      return fail(`unknown escape \\${escaped} in string ${literal}`);
    }
  }
  return text;
}

/**
 * Parses a kubectl JSONPath template, e.g. `{range .items[*]}{.metadata.name}{"\n"}{end}`.
 *
 * @throws ApiError Invalid naming the problem and its position (unclosed brace, `{end}` without
 *   `{range}`, a bad path)
 */
export function parseTemplate(text: string): Template {
  const source = relax(text);
  if (source.trim() === '') throw new ApiError('Invalid', 'invalid jsonpath template: the template is empty');
  const root: TemplateNode[] = [];
  const stack: Frame[] = [];
  const current = (): TemplateNode[] => stack.at(-1)?.body ?? root;
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf('{', index);
    if (open < 0 || open > index) {
      const end = open < 0 ? source.length : open;
      current().push({ type: 'text', text: source.slice(index, end) });
      index = end;
      continue;
    }
    const close = actionEnd(source, open);
    if (close < 0) {
      // A `}` that a quote swallowed means the quote, not the brace, is what is left open.
      const problem = source.includes('}', open) ? 'unterminated string in action' : 'unclosed "{"';
      throw templateError(source, problem, open);
    }
    const raw = source.slice(open + 1, close);
    const action = raw.trim();
    const at = open + 1 + (raw.length - raw.trimStart().length);
    const fail = (problem: string): never => {
      throw templateError(source, problem, open);
    };
    index = close + 1;
    if (action === '') fail('empty action "{}"');
    else if (action.startsWith('"') || action.startsWith("'")) {
      current().push({ type: 'text', text: unquote(action, fail) });
    } else if (action === 'end') {
      const frame = stack.pop();
      if (!frame) fail('"{end}" without a matching "{range}"');
      else current().push({ type: 'range', path: frame.path, body: frame.body });
    } else if (action === 'range' || action.startsWith('range ') || action.startsWith('range\t')) {
      const expression = action.slice('range'.length).trim();
      if (expression === '') fail('"{range}" needs a path');
      const offset = at + action.length - expression.length;
      stack.push({ path: parsePath(expression, { template: source, offset }), start: open, body: [] });
    } else {
      current().push({ type: 'path', path: parsePath(action, { template: source, offset: at }) });
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw templateError(source, '"{range}" not closed by "{end}"', unclosed.start);
  return { source, nodes: root };
}

/**
 * kubectl's results: one list per action as evaluated; a range contributes its body's lists once per
 * item, with the item as the data its paths start from.
 */
function collect(nodes: readonly TemplateNode[], data: unknown): unknown[][] {
  return nodes.flatMap((node): unknown[][] => {
    switch (node.type) {
      case 'text':
        return [[node.text]];
      case 'path':
        return [evaluatePath(node.path, data)];
      case 'range':
        return evaluatePath(node.path, data).flatMap((item) => collect(node.body, item));
    }
  });
}

/** How kubectl prints one value: strings as they are, objects and arrays as compact JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

function toTemplate(template: Template | string): Template {
  return typeof template === 'string' ? parseTemplate(template) : template;
}

/** `-o jsonpath`: each action's values joined by a space, as kubectl prints them. */
export function renderTemplate(template: Template | string, data: unknown): string {
  return collect(toTemplate(template).nodes, data)
    .map((values) => values.map(formatValue).join(' '))
    .join('');
}

/** `-o jsonpath-as-json`: each action's values as one JSON array, indented by four as kubectl does. */
export function renderTemplateAsJson(template: Template | string, data: unknown): string {
  return collect(toTemplate(template).nodes, data)
    .map((values) => `${JSON.stringify(values, null, 4)}\n`)
    .join('');
}

/**
 * kubectl's RelaxedJSONPathExpression, for custom columns and sort keys: `name`, `.name`, `{name}` and
 * `{.name}` all mean `{.name}`.
 *
 * @throws ApiError Invalid when the text holds more than one action
 */
export function relaxedPath(text: string): PathExpression {
  const match = /^\{([^{}]+)\}$|^([^{}]+)$/.exec(text.trim());
  const body = (match?.[1] ?? match?.[2])?.trim();
  if (!body) {
    throw new ApiError(
      'Invalid',
      `invalid jsonpath ${JSON.stringify(text)}: expected 'name1.name2', '.name1.name2', '{name1.name2}' or '{.name1.name2}'`,
    );
  }
  // `.a`, `..a`, `[0]` and `$.a` keep their own start; a bare name gets kubectl's leading dot.
  const path = /^[[$@.]/.test(body) ? body : `.${body}`;
  return parsePath(path, { template: text, offset: 0 });
}
