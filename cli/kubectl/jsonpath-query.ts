/**
 * Running a parsed kubectl JSONPath: runs of segments jsonpath-plus can take become one jsonpath-plus
 * query; what it would misread (names holding its own syntax, `[*]` after a literal key, kubectl's
 * unions of sub-paths) runs as a direct step. Filters run in jsonpath-plus's safe evaluator, never as
 * code.
 */
import type * as JsonPathPlus from 'jsonpath-plus';
import { ApiError } from '../../protocol/api-error.js';

/** jsonpath-plus, loaded by the first JSONPath run: reads without `-o jsonpath` never pay for it (issue 13). */
export function jsonPathPlus(): typeof JsonPathPlus {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('jsonpath-plus') as typeof JsonPathPlus;
}

export type Segment =
  | { type: 'field'; name: string }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  /** An index or a `start:end:step` slice, already in jsonpath-plus form. */
  | { type: 'slice'; text: string }
  /** The filter's expression between `?(` and `)`, evaluated by jsonpath-plus's safe evaluator. */
  | { type: 'filter'; expression: string }
  | { type: 'union'; branches: readonly (readonly Segment[])[] };

/** How a parsed path is run: jsonpath-plus queries where it can, direct steps where it cannot. */
export type Step =
  | { type: 'query'; path: string }
  | { type: 'field'; name: string }
  | { type: 'children' }
  | { type: 'descend' }
  | { type: 'union'; branches: readonly (readonly Step[])[] };

export interface PathExpression {
  /** The expression as written, for error messages. */
  readonly source: string;
  readonly segments: readonly Segment[];
  readonly steps: readonly Step[];
}

// Names jsonpath-plus's string tokenizer reads back intact inside ['`…'] (it splits on `;`, `'`, `]`, `,`,
// `^` and its own `#n`/`%@%` placeholders); any other name is looked up directly.
const queryableName = /^[\p{L}\p{N}_\-./: ~$*+]*$/u;
// `safe`: jsonpath-plus's own expression evaluator, not node:vm. ignoreEvalErrors: a filter that reads
// below a missing field (`@.a.b` without `a`) selects nothing, as kubectl's does, instead of failing.
export const evalOptions = { eval: 'safe', ignoreEvalErrors: true, wrap: true } as const;

/** The jsonpath-plus text of one segment, or undefined when it must run as a direct step. */
function queryPiece(segment: Segment, next: Segment | undefined): string | undefined {
  switch (segment.type) {
    case 'field':
      // The backtick makes jsonpath-plus take the name literally (`*`, `$`, `~` are operators otherwise).
      return queryableName.test(segment.name) ? `['\`${segment.name}']` : undefined;
    // jsonpath-plus reads `[*]` after a literal key as the key "*" when one exists; ours is a step.
    case 'wildcard':
      return undefined;
    case 'slice':
      return `[${segment.text}]`;
    case 'filter':
      return `[?(${segment.expression})]`;
    case 'recursive':
      return next !== undefined && next.type !== 'recursive' && queryPiece(next, undefined) !== undefined
        ? '..'
        : undefined;
    case 'union':
      return undefined;
  }
}

export function compileSegments(segments: readonly Segment[]): Step[] {
  const steps: Step[] = [];
  let query = '';
  const flush = (): void => {
    if (query !== '') steps.push({ type: 'query', path: `$${query}` });
    query = '';
  };
  segments.forEach((segment, index) => {
    const piece = queryPiece(segment, segments[index + 1]);
    if (piece !== undefined) {
      query += piece;
      return;
    }
    flush();
    if (segment.type === 'field') steps.push({ type: 'field', name: segment.name });
    else if (segment.type === 'union') steps.push({ type: 'union', branches: segment.branches.map(compileSegments) });
    else if (segment.type === 'wildcard') steps.push({ type: 'children' });
    else steps.push({ type: 'descend' });
  });
  flush();
  return steps;
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** kubectl's recursive descent: the value and every object and array below it, depth first. */
function descend(value: unknown): unknown[] {
  if (!isContainer(value)) return [];
  return [value, ...Object.values(value).flatMap(descend)];
}

function runStep(step: Step, values: unknown[], source: string): unknown[] {
  switch (step.type) {
    case 'field':
      return values.flatMap((value) =>
        isContainer(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [],
      );
    case 'children':
      return values.flatMap((value) => (isContainer(value) ? Object.values(value) : []));
    case 'descend':
      return values.flatMap(descend);
    // kubectl runs each branch over all inputs, then the next branch.
    case 'union':
      return step.branches.flatMap((branch) => runSteps(branch, values, source));
    case 'query':
      return values.flatMap((value) => query(step.path, value, source));
  }
}

function query(path: string, value: unknown, source: string): unknown[] {
  if (!isContainer(value)) return [];
  try {
    const found: unknown = jsonPathPlus().JSONPath({ ...evalOptions, path, json: value });
    return Array.isArray(found) ? (found as unknown[]) : [];
  } catch (error) {
    throw new ApiError(
      'Invalid',
      `failed to evaluate jsonpath ${JSON.stringify(source)}: ${String(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

function runSteps(steps: readonly Step[], values: unknown[], source: string): unknown[] {
  return steps.reduce((current, step) => runStep(step, current, source), values);
}

/** Every value `path` selects in `data`, in kubectl's order; a missing field selects nothing. */
export function evaluatePath(path: PathExpression, data: unknown): unknown[] {
  return runSteps(path.steps, [data], path.source);
}
