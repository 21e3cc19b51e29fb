/**
 * cli/kubectl: kubectl's output forms and selectors for `rdd ctl get` and `rdd ctl describe` — JSONPath
 * templates, custom columns, field and label selectors, the per-kind tables, `-o name` and describe
 * text. Pure: no I/O, no NATS; every function takes resources and returns text (or throws an Invalid
 * ApiError), so the commands stay thin. Imports protocol/, cli/output.ts and jsonpath-plus only.
 */
export * from './custom-columns.js';
export * from './describe.js';
export { age, humanDuration, humanSize } from './format.js';
export { parsePath } from './jsonpath-path.js';
export { evaluatePath, type PathExpression } from './jsonpath-query.js';
export * from './jsonpath-template.js';
export * from './list-options.js';
export * from './printers.js';
export * from './selectors.js';
