/**
 * protocol/statechart: state machines as data, for the visualizer and the docs. The JSON definition
 * schema (an XState v5 config reduced to what a diagram shows), its state tree, the mermaid and dot
 * renderers, and the layout of docs/machines (`docs.ts`, pure; the file access is host/statechart-docs.ts).
 *
 * Like all of protocol/, it imports nothing from the rest of the project: machines/catalogue.ts turns
 * the machines into definitions, and the CLI's `rdd machines` reads them from docs/machines.
 */
export * from './definition.schema.js';
export * from './tree.js';
export * from './mermaid.js';
export * from './dot.js';
export * from './docs.js';
