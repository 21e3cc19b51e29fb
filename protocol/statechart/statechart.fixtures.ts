/**
 * Test helpers: a definition that uses every construct the renderers draw, and structural checks of the
 * mermaid and dot text they emit. The checks accept exactly the grammar subset the renderers write, so
 * a renderer change that leaves it fails here before a diagram fails to render.
 */
import type { MachineDefinition } from './definition.schema.js';

/**
 * Parallel regions, final and deep-history states, a custom state id, `#id`, `.child`, sibling-path and
 * root targets (in the shortest form, as the catalogue writes them), eventless, delayed (named and in ms), invoke and state-completion transitions, a
 * re-entering self-transition, transitions that stay, keys repeated in different parents, a key that
 * is a mermaid keyword (`end`) and one that is no mermaid id (`clean-up`).
 */
export const exampleDefinition: MachineDefinition = {
  id: 'example',
  description: 'An example that uses every construct.',
  initial: 'idle',
  entry: ['boot'],
  on: {
    RESET: [{ target: '.idle', actions: ['clear'] }],
    PING: [{ actions: ['pong'] }],
  },
  states: {
    idle: {
      tags: ['quiet'],
      on: {
        GO: [
          { target: 'work', guard: 'ready' },
          { target: 'paused', guard: 'not(ready)' },
        ],
        AGAIN: [{ target: 'idle', reenter: true }],
      },
      after: { '1000': [{ target: 'work' }], patience: [{ actions: ['nag'] }] },
    },
    work: {
      type: 'parallel',
      onDone: [{ target: 'end' }],
      states: {
        upload: {
          initial: 'running',
          states: {
            running: {
              invoke: [
                {
                  src: 'upload',
                  onDone: [{ target: 'done', actions: ['xstate.assign'] }],
                  onError: [{ target: '#failure' }],
                },
              ],
            },
            done: { type: 'final' },
          },
        },
        progress: {
          initial: 'running',
          exit: ['hideProgress'],
          states: {
            running: {
              always: [{ target: 'done', guard: 'complete' }],
              on: { TICK: [{ actions: ['count'] }] },
            },
            done: { type: 'final' },
          },
        },
      },
    },
    paused: {
      initial: 'first',
      invoke: [{ id: 'keepAlive', src: 'heartbeat' }],
      on: { RESUME: [{ target: '.hist' }] },
      states: {
        first: { on: { NEXT: [{ target: 'second' }] } },
        second: {},
        hist: { type: 'history', history: 'deep' },
      },
    },
    failed: {
      id: 'failure',
      on: {
        RETRY: [{ target: 'paused.hist' }],
        RESTART: [{ target: '#example' }],
        CLEAN: [{ target: 'clean-up' }],
      },
    },
    'clean-up': { entry: ['inline'] },
    end: { type: 'final' },
  },
};

const mermaidText = /^[^;#{}"\r\n]*$/;
const mermaidId = '[A-Za-z][A-Za-z0-9_]*';

/** Problems in a mermaid stateDiagram-v2 (empty when it holds together). */
export function checkMermaid(text: string): string[] {
  const problems: string[] = [];
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'stateDiagram-v2') problems.push(`first line is "${lines[0]}", not stateDiagram-v2`);
  const declared = new Set<string>();
  const used: [string, number][] = [];
  const declare = (id: string, line: number): void => {
    if (declared.has(id)) problems.push(`line ${line}: "${id}" is declared twice`);
    declared.add(id);
  };
  const rules: [RegExp, (match: RegExpMatchArray, line: number) => void][] = [
    [new RegExp(`^(${mermaidId})$`), ([, id = ''], line) => declare(id, line)],
    [new RegExp(`^state "([^"]+)" as (${mermaidId})$`), ([, , id = ''], line) => declare(id, line)],
    [new RegExp(`^state (${mermaidId}) \\{$`), ([, id = ''], line) => declare(id, line)],
    [new RegExp(`^\\[\\*\\] --> (${mermaidId})$`), ([, id = ''], line) => used.push([id, line])],
    [new RegExp(`^(${mermaidId}) --> \\[\\*\\]$`), ([, id = ''], line) => used.push([id, line])],
    [
      new RegExp(`^(${mermaidId}) --> (${mermaidId}) : (.+)$`),
      ([, from = '', to = '', label = ''], line) => {
        used.push([from, line], [to, line]);
        if (!mermaidText.test(label)) problems.push(`line ${line}: label "${label}" has a reserved character`);
      },
    ],
    [
      new RegExp(`^(${mermaidId}) : (.+)$`),
      ([, id = '', description = ''], line) => {
        used.push([id, line]);
        if (!mermaidText.test(description)) problems.push(`line ${line}: "${description}" has a reserved character`);
      },
    ],
    [new RegExp(`^note right of (${mermaidId})$`), ([, id = ''], line) => used.push([id, line])],
  ];
  let depth = 0;
  let inNote = false;
  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    const statement = raw.trim();
    if (inNote) {
      if (statement === 'end note') inNote = false;
      else if (!mermaidText.test(statement))
        problems.push(`line ${line}: note "${statement}" has a reserved character`);
      return;
    }
    if (statement === '}') {
      depth -= 1;
      if (depth < 0) problems.push(`line ${line}: "}" closes no block`);
      return;
    }
    if (statement === '--') {
      if (depth === 0) problems.push(`line ${line}: "--" outside a composite state`);
      return;
    }
    const matched = rules.some(([pattern, apply]) => {
      const match = statement.match(pattern);
      if (match) apply(match, line);
      return match !== null;
    });
    if (!matched) {
      problems.push(`line ${line}: "${statement}" is not in the emitted grammar`);
      return;
    }
    if (statement.endsWith('{')) depth += 1;
    if (statement.startsWith('note ')) inNote = true;
  });
  if (depth !== 0) problems.push(`${depth} block(s) left open`);
  if (inNote) problems.push('a note is left open');
  for (const [id, line] of used) if (!declared.has(id)) problems.push(`line ${line}: "${id}" is not declared`);
  return problems;
}

const dotString = '"(?:[^"\\\\]|\\\\.)*"';

/** Problems in a Graphviz digraph as the dot renderer writes it (empty when it holds together). */
export function checkDot(text: string): string[] {
  const problems: string[] = [];
  const lines = text.trimEnd().split('\n');
  if (!new RegExp(`^digraph ${dotString} \\{$`).test(lines[0] ?? '')) problems.push('first line opens no digraph');
  const nodes = new Set<string>();
  const clusters = new Map<string, Set<string>>();
  const open: string[] = ['(digraph)'];
  const edges: [string, string, string | undefined, number][] = [];
  const unquote = (quoted: string): string => quoted.slice(1, -1).replace(/\\(.)/g, '$1');
  const node = new RegExp(`^(${dotString}) \\[(?:${dotString}|[^"\\]])*\\];$`);
  const edge = new RegExp(`^(${dotString}) -> (${dotString})(?: \\[((?:${dotString}|[^"\\]])*)\\])?;$`);
  const lhead = new RegExp(`lhead=(${dotString})`);
  const attribute = new RegExp(`^[a-z]+=(?:${dotString}|[A-Za-z0-9.]+);$`);
  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    const statement = raw.trim();
    const subgraph = statement.match(new RegExp(`^subgraph (${dotString}) \\{$`));
    const nodeMatch = statement.match(node);
    const edgeMatch = statement.match(edge);
    if (statement === '}') {
      if (open.length === 0) problems.push(`line ${line}: "}" closes no block`);
      open.pop();
    } else if (subgraph) {
      const name = unquote(subgraph[1] ?? '');
      if (!name.startsWith('cluster_')) problems.push(`line ${line}: subgraph "${name}" is no cluster`);
      clusters.set(name, new Set());
      open.push(name);
    } else if (edgeMatch) {
      const head = edgeMatch[3]?.match(lhead)?.[1];
      edges.push([unquote(edgeMatch[1] ?? ''), unquote(edgeMatch[2] ?? ''), head && unquote(head), line]);
    } else if (nodeMatch) {
      const id = unquote(nodeMatch[1] ?? '');
      if (nodes.has(id)) problems.push(`line ${line}: node "${id}" is declared twice`);
      nodes.add(id);
      for (const cluster of open) clusters.get(cluster)?.add(id);
    } else if (!attribute.test(statement) && !/^(node|edge) \[.*\];$/.test(statement)) {
      problems.push(`line ${line}: "${statement}" is not in the emitted grammar`);
    }
  });
  if (open.length > 0) problems.push(`${open.length} block(s) left open`);
  for (const [tail, head, cluster, line] of edges) {
    for (const end of [tail, head]) if (!nodes.has(end)) problems.push(`line ${line}: "${end}" is not declared`);
    if (cluster !== undefined && !clusters.get(cluster)?.has(head)) {
      problems.push(`line ${line}: lhead "${cluster}" does not hold "${head}"`);
    }
  }
  return problems;
}
