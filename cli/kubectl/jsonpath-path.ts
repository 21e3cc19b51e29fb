/**
 * Parsing one kubectl JSONPath expression (what sits inside one `{…}` of a template) with kubectl's
 * grammar: `\` escapes terminators (`labels.app\.kubernetes\.io/name`), `['a.b']` is the sub-path
 * `.a.b`, unions split into sub-paths, indexes may be negative. jsonpath-plus parses none of these as
 * kubectl does, so we parse into segments here and jsonpath-query.ts decides what it may run.
 */
import { ApiError } from '../../protocol/api-error.js';
import { compileSegments, evalOptions, jsonPathPlus, type PathExpression, type Segment } from './jsonpath-query.js';

/** Where a path sits in the text the user gave, so errors point into the whole template. */
export interface SourceContext {
  readonly template: string;
  readonly offset: number;
}

/** Every template and path syntax error: Invalid, naming the problem and its 1-based position. */
export function templateError(template: string, problem: string, index: number): ApiError {
  const position = index + 1;
  return new ApiError(
    'Invalid',
    `invalid jsonpath template ${JSON.stringify(template)}: ${problem} at position ${position}`,
    {
      template,
      position,
    },
  );
}

// kubectl's isTerminator: what ends a field name unless escaped with `\`.
const terminators = new Set(['.', ',', '[', ']', '$', '@', '{', '}']);
const indexPattern = /^-?\d+$/;
const slicePattern = /^(-?\d*)(:-?\d*)(:-?\d*)?$/;

class PathParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly context: SourceContext,
  ) {}

  parse(): Segment[] {
    const segments: Segment[] = [];
    if (this.text.startsWith('$') || this.text.startsWith('@')) this.pos = 1;
    while (this.pos < this.text.length) segments.push(...this.segment());
    return segments;
  }

  private fail(problem: string, at = this.pos): never {
    throw templateError(this.context.template, problem, this.context.offset + at);
  }

  private segment(): Segment[] {
    const char = this.text[this.pos];
    if (this.text.startsWith('..', this.pos)) {
      this.pos += 2;
      const next = this.text[this.pos];
      // `..[…]` leaves the bracket to the next round; `..name` reads the name here.
      if (next === undefined || next === '[') return [{ type: 'recursive' }];
      return [{ type: 'recursive' }, ...this.name()];
    }
    if (char === '.') {
      this.pos += 1;
      return this.name();
    }
    if (char === '[') return this.bracket();
    return this.fail(`unexpected ${JSON.stringify(char)}; expected "." or "["`);
  }

  private name(): Segment[] {
    let name = '';
    while (this.pos < this.text.length) {
      const char = this.text[this.pos] ?? '';
      if (char === '\\' && this.pos + 1 < this.text.length) {
        name += this.text[this.pos + 1];
        this.pos += 2;
      } else if (terminators.has(char) || /\s/.test(char)) {
        break;
      } else {
        name += char;
        this.pos += 1;
      }
    }
    if (name === '*') return [{ type: 'wildcard' }];
    // `{.}` is the current object, as in kubectl.
    return name === '' ? [] : [{ type: 'field', name }];
  }

  private bracket(): Segment[] {
    const start = this.pos;
    if (this.text.startsWith('[?(', start)) return [this.filter(start)];
    const end = closingIndex(this.text, start + 1, ']');
    if (end < 0) this.fail('unclosed "["', start);
    const inner = this.text.slice(start + 1, end).trim();
    this.pos = end + 1;
    if (inner === '*') return [{ type: 'wildcard' }];
    const parts = splitTopLevel(inner, ',');
    if (parts.length > 1) {
      const branches = parts.map((part) =>
        new PathParser(`[${part.trim()}]`, { ...this.context, offset: this.context.offset + start }).parse(),
      );
      return [{ type: 'union', branches }];
    }
    // kubectl reads a quoted key as a sub-path: `['a.b']` is `.a.b`, `['a\.b']` the key `a.b`.
    const quoted = /^'(.*)'$/s.exec(inner);
    if (quoted) {
      return new PathParser(`.${quoted[1] ?? ''}`, { ...this.context, offset: this.context.offset + start }).parse();
    }
    if (indexPattern.test(inner)) return [{ type: 'slice', text: indexText(Number(inner)) }];
    if (slicePattern.test(inner)) return [{ type: 'slice', text: inner }];
    return this.fail(`invalid array index ${JSON.stringify(inner)}`, start);
  }

  private filter(start: number): Segment {
    const close = closingIndex(this.text, start + 3, ')');
    if (close < 0 || this.text[close + 1] !== ']') this.fail('unclosed filter "[?("', start);
    const expression = this.text.slice(start + 3, close).trim();
    if (expression === '') this.fail('empty filter', start);
    try {
      // A dry run on one empty object surfaces syntax errors now, not halfway through the output.
      jsonPathPlus().JSONPath({ ...evalOptions, path: `$[?(${expression})]`, json: [{}] });
    } catch (error) {
      this.fail(
        `invalid filter ${JSON.stringify(expression)} (${error instanceof Error ? error.message : String(error)})`,
        start,
      );
    }
    this.pos = close + 2;
    return { type: 'filter', expression };
  }
}

/** kubectl's `[-1]` is the last element; jsonpath-plus reads negative indexes only as slices. */
function indexText(index: number): string {
  if (index >= 0) return String(index);
  return index === -1 ? '-1:' : `${index}:${index + 1}`;
}

/** The index of the `close` that ends the group opened before `from`, skipping quoted text and nesting. */
function closingIndex(text: string, from: number, close: ']' | ')'): number {
  const open = close === ']' ? '[' : '(';
  let depth = 0;
  let quote: string | undefined;
  for (let index = from; index < text.length; index += 1) {
    const char = text[index];
    if (quote !== undefined) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === open) {
      depth += 1;
    } else if (char === close) {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  return -1;
}

/** Splits on `separator` outside quotes and brackets: union members and custom-column specs hold both. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '[' || char === '(' || char === '{') {
      depth += 1;
    } else if (char === ']' || char === ')' || char === '}') {
      depth -= 1;
    } else if (char === '\\' && index + 1 < text.length) {
      current += char + (text[index + 1] ?? '');
      index += 1;
      continue;
    } else if (char === separator && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

/**
 * Parses one kubectl JSONPath expression, e.g. `.items[*].metadata.name` or `$..name`.
 *
 * @throws ApiError Invalid naming the problem and its position
 */
export function parsePath(text: string, context: SourceContext = { template: text, offset: 0 }): PathExpression {
  const segments = new PathParser(text, context).parse();
  return { source: text, segments, steps: compileSegments(segments) };
}
