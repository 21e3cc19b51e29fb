/**
 * `rdd ctl wait --for=…`: the condition kubectl users write, parsed once and judged against the
 * objects a watch currently holds. With names every named object must meet it; with selectors every
 * matching object must (and `create` needs at least one), as kubectl does.
 */
import type { Condition } from '../../protocol/condition.schema.js';
import { findCondition } from '../../protocol/resource-names.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { UsageError } from '../exit-codes.js';
import { parseTemplate, renderTemplate, type Template } from '../kubectl/index.js';
import { findByName } from './target.js';

export type WaitFor =
  | { kind: 'create' }
  | { kind: 'delete' }
  | { kind: 'condition'; type: string; status: string }
  | { kind: 'jsonpath'; template: Template; expression: string; value: string | null };

export const waitForForms = 'create, delete, condition=TYPE[=STATUS], jsonpath={PATH}[=VALUE]';

export function parseWaitFor(text: string): WaitFor {
  if (text === 'create' || text === 'delete') return { kind: text };
  if (text.startsWith('condition=')) {
    const [type = '', status = 'True', ...extra] = text.slice('condition='.length).split('=');
    if (!type || extra.length > 0) throw new UsageError(`--for=${text}: write condition=TYPE or condition=TYPE=STATUS`);
    return { kind: 'condition', type, status };
  }
  if (text.startsWith('jsonpath=')) {
    const rest = text.slice('jsonpath='.length);
    // The expression is `{…}`; what follows `}=` is the value (kubectl's form).
    const close = rest.lastIndexOf('}');
    if (!rest.startsWith('{') || close < 0) {
      throw new UsageError(`--for=${text}: write jsonpath='{.status.status}'=running`);
    }
    const expression = rest.slice(0, close + 1);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith('='))
      throw new UsageError(`--for=${text}: expected "=" after the expression`);
    return {
      kind: 'jsonpath',
      template: parseTemplate(expression),
      expression,
      value: after === '' ? null : after.slice(1),
    };
  }
  throw new UsageError(`unknown --for "${text}"; valid: ${waitForForms}`);
}

export function describeWaitFor(waitFor: WaitFor): string {
  switch (waitFor.kind) {
    case 'create':
    case 'delete':
      return waitFor.kind;
    case 'condition':
      return `condition ${waitFor.type}=${waitFor.status}`;
    case 'jsonpath':
      return `${waitFor.expression}${waitFor.value === null ? '' : `=${waitFor.value}`}`;
  }
}

export interface Verdict {
  met: boolean;
  /** What was seen, for progress and the timeout message. */
  seen: string;
  /** The objects that met it, for kubectl's "… condition met" lines. */
  objects: Resource[];
}

/** Judges `waitFor` over the current `objects` (already narrowed by namespace and selectors). */
export function judge(waitFor: WaitFor, objects: readonly Resource[], names: readonly string[]): Verdict {
  const named = names.map((name) => ({ name, object: findByName(objects, name) }));
  if (waitFor.kind === 'delete') {
    const remaining = names.length > 0 ? named.flatMap(({ object }) => (object ? [object] : [])) : [...objects];
    return {
      met: remaining.length === 0,
      seen: remaining.length === 0 ? 'gone' : `${remaining.length} still present`,
      objects: [],
    };
  }
  const present = names.length > 0 ? named.flatMap(({ object }) => (object ? [object] : [])) : [...objects];
  const missing = named.filter(({ object }) => !object).map(({ name }) => name);
  if (missing.length > 0 || present.length === 0) {
    return {
      met: false,
      seen: missing.length > 0 ? `${missing.join(', ')} not found` : 'no matching object',
      objects: [],
    };
  }
  if (waitFor.kind === 'create') return { met: true, seen: 'present', objects: present };
  const values = present.map((object) => valueOf(waitFor, object));
  const met = values.every((value) => value.met);
  return { met, seen: values.map((value) => value.seen).join('; '), objects: met ? present : [] };
}

function valueOf(
  waitFor: Exclude<WaitFor, { kind: 'create' | 'delete' }>,
  object: Resource,
): { met: boolean; seen: string } {
  if (waitFor.kind === 'condition') {
    const conditions = (object.status as { conditions?: Condition[] } | undefined)?.conditions;
    const condition = findCondition(conditions, waitFor.type);
    if (!condition) return { met: false, seen: `no ${waitFor.type} condition` };
    return {
      met: condition.status.toLowerCase() === waitFor.status.toLowerCase(),
      seen: `${waitFor.type}=${condition.status} (${condition.reason}: ${condition.message})`,
    };
  }
  const text = renderTemplate(waitFor.template, object);
  if (waitFor.value === null) return { met: text !== '', seen: text === '' ? `${waitFor.expression} empty` : text };
  return { met: text === waitFor.value, seen: `${waitFor.expression}=${text === '' ? '""' : text}` };
}
