/**
 * What docs/machines holds for a set of machine definitions: `<name>.json`, `<name>.mmd`, `<name>.dot`
 * and a README.md index that embeds the mermaid diagrams. Pure; host/statechart-docs.ts reads and writes them.
 */
import type { MachineDefinition } from './definition.schema.js';
import { renderDot } from './dot.js';
import { renderMermaid } from './mermaid.js';
import { countStates } from './tree.js';

export const machineFormats = ['json', 'mermaid', 'dot'] as const;
export type MachineFormat = (typeof machineFormats)[number];

export const machineFileExtensions: Record<MachineFormat, string> = { json: 'json', mermaid: 'mmd', dot: 'dot' };

/** The one command that rewrites docs/machines; the stale-docs test and the README quote it. */
export const regenerateMachineDocsCommand = 'UPDATE_MACHINE_DOCS=1 npx jest -c jest.unit.config.js machines/catalogue';

export const machineDocsReadme = 'README.md';

export interface NamedMachineDefinition {
  /** The catalogue name, e.g. `engine-connection`. */
  name: string;
  definition: MachineDefinition;
}

export function renderMachineJson(definition: MachineDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

export function renderMachine(definition: MachineDefinition, format: MachineFormat): string {
  switch (format) {
    case 'json':
      return renderMachineJson(definition);
    case 'mermaid':
      return renderMermaid(definition);
    case 'dot':
      return renderDot(definition);
  }
}

function renderReadme(machines: readonly NamedMachineDefinition[]): string {
  const rows = machines.map(
    ({ name, definition }) =>
      `| [${name}](#${name}) | \`${definition.id}\` | ${countStates(definition)} | ${definition.description ?? ''} |`,
  );
  const sections = machines.flatMap(({ name, definition }) => [
    `## ${name}`,
    '',
    ...(definition.description ? [definition.description, ''] : []),
    `Files: [${name}.json](${name}.json), [${name}.mmd](${name}.mmd), [${name}.dot](${name}.dot).`,
    '',
    '```mermaid',
    renderMermaid(definition).trimEnd(),
    '```',
    '',
  ]);
  return [
    '# State machines',
    '',
    '<!-- Generated from machines/catalogue.ts: do not edit by hand. -->',
    '',
    'The XState v5 machines of `machines/`, exported for reading and for the Stately visualizer. Each has',
    '`<name>.json` (the machine config: states, transitions, and guards, actions and actors by name),',
    '`<name>.mmd` (a mermaid `stateDiagram-v2`) and `<name>.dot` (Graphviz: `dot -Tsvg vm.dot -o vm.svg`).',
    '`rdd machines list` lists them and `rdd machines export NAME --format json|mermaid|dot` prints one.',
    '',
    'These files are generated from `machines/catalogue.ts`, and a unit test fails when they are stale.',
    'Regenerate them with:',
    '',
    '```sh',
    regenerateMachineDocsCommand,
    '```',
    '',
    '## Open a machine in the Stately visualizer',
    '',
    '1. Take the JSON: `rdd machines export vm --format json`, or `docs/machines/vm.json`.',
    '2. Open <https://stately.ai/viz> and replace the code in its editor with `createMachine(` + the JSON +',
    '   `)`: the JSON is a plain XState v5 machine config. The Stately editor (<https://stately.ai/editor>)',
    '   can import the same code.',
    '3. Guards, actions and actors appear by name only; their code, the context and the delays stay in',
    '   `machines/`. To step through the machine, send its events from the visualizer.',
    '',
    '## Reading the diagrams',
    '',
    '- An arrow reads `EVENT [guard] / action, action`; `always` is an eventless transition, `after <delay>`',
    '  a delayed one, `<actor> done` and `<actor> error` end an invoked actor, `(reenter)` re-enters the state.',
    '- A transition that stays in its state (actions only) is listed inside that state.',
    '- "any state" carries the transitions of the compound state (or machine) around it: they apply in',
    '  whichever child is active, unless that child takes the event itself.',
    '',
    '| Machine | XState id | States | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...sections,
  ].join('\n');
}

/** File name → content, for every machine (sorted by name) and the README. */
export function machineDocFiles(machines: readonly NamedMachineDefinition[]): Map<string, string> {
  const sorted = [...machines].sort((a, b) => a.name.localeCompare(b.name));
  const files = new Map<string, string>();
  for (const { name, definition } of sorted) {
    for (const format of machineFormats) {
      files.set(`${name}.${machineFileExtensions[format]}`, renderMachine(definition, format));
    }
  }
  files.set(machineDocsReadme, renderReadme(sorted));
  return files;
}
