/**
 * `--field-selector` and `-l` as kubectl reads them. Field selectors compare the string form of a few
 * fields per kind (the ones an index could serve, as Kubernetes allows only those); label selectors
 * match `metadata.labels`, which for mirrors are the engine object's own labels. Both are pure, so the
 * CLI can filter a listed set and the daemon can reuse them.
 */
import { appKind } from '../../protocol/resource-names.js';
import { ApiError } from '../../protocol/api-error.js';
import type { KindName } from '../../protocol/mirrors/kinds.js';
import type { Resource } from '../../protocol/resource.schema.js';

export interface FieldRequirement {
  readonly field: string;
  /** `==` is read as `=`, as Kubernetes does. */
  readonly operator: '=' | '!=';
  readonly value: string;
}

const metadataFields = ['metadata.name', 'metadata.namespace'] as const;

/** The fields `--field-selector` accepts per kind. */
export const selectableFields: Readonly<Record<KindName, readonly string[]>> = {
  [appKind]: ['metadata.name'],
  Container: [...metadataFields, 'status.name', 'status.namespace', 'status.status'],
  Image: [...metadataFields, 'status.id', 'status.namespace', 'status.repoTag'],
  Volume: [...metadataFields, 'status.name', 'status.namespace'],
  Network: [...metadataFields, 'status.name', 'status.namespace'],
  ContainerNamespace: [...metadataFields],
};

/** The fields of `kind`; a kind this table does not know gets the metadata fields every resource has. */
export function selectableFieldsOf(kind: string): readonly string[] {
  return (selectableFields as Readonly<Record<string, readonly string[]>>)[kind] ?? metadataFields;
}

/** Splits on commas that `\` does not escape, keeping the escapes for the value's own unescaping. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (char === '\\' && index + 1 < text.length) {
      current += char + (text[index + 1] ?? '');
      index += 1;
    } else if (char === ',') {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms;
}

function invalidFieldSelector(text: string, problem: string): ApiError {
  return new ApiError('Invalid', `invalid field selector ${JSON.stringify(text)}: ${problem}`, { selector: text });
}

/** Kubernetes's value escapes: only `\\`, `\,` and `\=` (so `a\=b` selects the value `a=b`). */
function unescapeValue(value: string, selector: string): string {
  return value.replace(/\\(.?)/g, (_escape, char: string) => {
    if (char === '\\' || char === ',' || char === '=') return char;
    throw invalidFieldSelector(selector, `invalid escape "\\${char}" in value ${JSON.stringify(value)}`);
  });
}

/**
 * Parses `status.name=web,status.status!=exited`; with `kind`, also checks every field is selectable.
 *
 * @throws ApiError Invalid for a term without `=`, `==` or `!=`, or a field `kind` cannot select (the
 *   message lists the fields it can)
 */
export function parseFieldSelector(text: string, kind?: string): FieldRequirement[] {
  const requirements = splitTerms(text)
    .filter((term) => term.trim() !== '')
    .map((term): FieldRequirement => {
      // The first operator wins, so `a=b!=c` is a=`b!=c`, as Kubernetes reads it.
      const match = /^((?:[^\\!=]|\\.|!(?!=))*)(!=|==|=)(.*)$/s.exec(term);
      const field = match?.[1]?.trim() ?? '';
      if (!match || field === '') {
        throw invalidFieldSelector(
          text,
          `can't understand ${JSON.stringify(term)}; use <field>=<value> or <field>!=<value>`,
        );
      }
      return { field, operator: match[2] === '!=' ? '!=' : '=', value: unescapeValue(match[3] ?? '', text) };
    });
  if (kind !== undefined) {
    const fields = selectableFieldsOf(kind);
    const unknown = requirements.find((requirement) => !fields.includes(requirement.field));
    if (unknown) {
      throw new ApiError(
        'Invalid',
        `field label ${JSON.stringify(unknown.field)} not supported for ${kind}; selectable fields: ${fields.join(', ')}`,
        { field: unknown.field, kind, selectableFields: [...fields] },
      );
    }
  }
  return requirements;
}

/** The string a field selector compares: missing and null fields read as "", as in Kubernetes. */
function fieldText(resource: Resource, field: string): string {
  let value: unknown = resource;
  for (const key of field.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Whether `resource` meets every requirement (an empty selector matches everything). */
export function matchesFields(resource: Resource, requirements: readonly FieldRequirement[]): boolean {
  return requirements.every(
    ({ field, operator, value }) => (fieldText(resource, field) === value) === (operator === '='),
  );
}

export type LabelOperator = 'equals' | 'notEquals' | 'in' | 'notIn' | 'exists' | 'doesNotExist';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** One value for equals and notEquals, one or more for in and notIn, none otherwise. */
  readonly values: readonly string[];
}

interface Token {
  readonly text: string;
  readonly kind: 'word' | 'symbol' | 'end';
  readonly at: number;
}

// Kubernetes's lexer: these end a word. Keys and values are otherwise free-form here, because engine
// labels are not held to Kubernetes's label syntax (`com.docker.compose.project`, values with spaces).
const symbols = ['!=', '==', '=', '!', ',', '(', ')'] as const;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    if (/\s/.test(text[index] ?? '')) {
      index += 1;
      continue;
    }
    const symbol = symbols.find((candidate) => text.startsWith(candidate, index));
    if (symbol !== undefined) {
      tokens.push({ text: symbol, kind: 'symbol', at: index });
      index += symbol.length;
      continue;
    }
    const start = index;
    while (index < text.length && !/[\s!=,()]/.test(text[index] ?? '')) index += 1;
    tokens.push({ text: text.slice(start, index), kind: 'word', at: start });
  }
  tokens.push({ text: '', kind: 'end', at: text.length });
  return tokens;
}

class LabelParser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): LabelRequirement[] {
    if (this.peek().kind === 'end') return [];
    const requirements = [this.requirement()];
    while (this.peek().text === ',' && this.peek().kind === 'symbol') {
      this.next();
      requirements.push(this.requirement());
    }
    if (this.peek().kind !== 'end') this.fail(`unexpected ${JSON.stringify(this.peek().text)}`);
    return requirements;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { text: '', kind: 'end', at: this.text.length };
  }

  private next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  private fail(problem: string, token = this.peek()): never {
    throw new ApiError(
      'Invalid',
      `invalid label selector ${JSON.stringify(this.text)}: ${problem} at position ${token.at + 1}`,
      { selector: this.text, position: token.at + 1 },
    );
  }

  private key(): string {
    const token = this.next();
    if (token.kind !== 'word') this.fail('expected a label key', token);
    return token.text;
  }

  private requirement(): LabelRequirement {
    if (this.peek().text === '!' && this.peek().kind === 'symbol') {
      this.next();
      return { key: this.key(), operator: 'doesNotExist', values: [] };
    }
    const key = this.key();
    const operator = this.peek();
    if (operator.kind === 'end' || operator.text === ',') return { key, operator: 'exists', values: [] };
    this.next();
    if (operator.text === '=' || operator.text === '==' || operator.text === '!=') {
      // `k=` selects the empty value, as Kubernetes allows.
      const value = this.peek().kind === 'word' ? this.next().text : '';
      return { key, operator: operator.text === '!=' ? 'notEquals' : 'equals', values: [value] };
    }
    if (operator.kind === 'word' && (operator.text === 'in' || operator.text === 'notin')) {
      return { key, operator: operator.text === 'in' ? 'in' : 'notIn', values: this.set(operator.text) };
    }
    return this.fail(`expected =, ==, !=, in or notin after ${JSON.stringify(key)}`, operator);
  }

  private set(operator: string): string[] {
    if (this.next().text !== '(') this.fail(`expected "(" after ${operator}`, this.tokens[this.index - 1]);
    const values: string[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind !== 'word') this.fail(`expected a value in the ${operator} set`, token);
      values.push(token.text);
      const separator = this.next();
      if (separator.text === ')') return values;
      if (separator.text !== ',') this.fail(`expected "," or ")" in the ${operator} set`, separator);
    }
  }
}

/**
 * Parses a kubectl label selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`,
 * comma-separated, all of which must hold.
 *
 * @throws ApiError Invalid naming the problem and its position
 */
export function parseLabelSelector(text: string): LabelRequirement[] {
  return new LabelParser(text).parse();
}

function meets(labels: Readonly<Record<string, string>>, { key, operator, values }: LabelRequirement): boolean {
  const has = Object.hasOwn(labels, key);
  const value = labels[key] ?? '';
  switch (operator) {
    case 'exists':
      return has;
    case 'doesNotExist':
      return !has;
    case 'equals':
    case 'in':
      return has && values.includes(value);
    // A resource without the label satisfies != and notin, as in Kubernetes.
    case 'notEquals':
    case 'notIn':
      return !has || !values.includes(value);
  }
}

/** Whether the resource's `metadata.labels` meet every requirement (an empty selector matches all). */
export function matchesLabels(resource: Resource, requirements: readonly LabelRequirement[]): boolean {
  const labels = resource.metadata.labels ?? {};
  return requirements.every((requirement) => meets(labels, requirement));
}
