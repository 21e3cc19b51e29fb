/**
 * A machine definition as a Graphviz digraph. Compound and parallel states are clusters (parallel ones
 * dashed); an edge into one ends at its initial dot (an invisible anchor for a parallel state) clipped
 * at the cluster's border (`compound=true`, `lhead`). Node ids are the XState state ids. As in the
 * mermaid form, transitions that stay are listed in their state, and a compound state's own transitions
 * start from an "any state" node inside it.
 */
import type { MachineDefinition } from './definition.schema.js';
import { indexStatechart, initialChildOf, isWithin, stateNotes, transitionsOf, type StateNodeInfo } from './tree.js';

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, ' ');
}

function quote(value: string): string {
  return `"${escape(value)}"`;
}

/** A label of several lines, broken with dot's own `\n`. */
function label(lines: readonly string[]): string {
  return `"${lines.map(escape).join('\\n')}"`;
}

export function renderDot(machine: MachineDefinition): string {
  const chart = indexStatechart(machine);
  const { root } = chart;
  const nodes = [root, ...chart.states];
  const transitions = new Map(nodes.map((node) => [node, transitionsOf(chart, node)] as const));
  const isContainer = (node: StateNodeInfo): boolean =>
    node === root || node.type === 'compound' || node.type === 'parallel';
  const anyId = (node: StateNodeInfo): string => `${node.id}/any`;
  const anchorId = (node: StateNodeInfo): string =>
    node.type === 'compound' ? `${node.id}/initial` : `${node.id}/anchor`;
  const stays = (node: StateNodeInfo): string[] =>
    (transitions.get(node) ?? []).filter((t) => t.targets.length === 0).map((t) => t.label);

  /**
   * An edge into `target`. A compound or parallel state is entered through its anchor, clipped at its
   * cluster's border; not when the edge starts inside that cluster (dot would ignore lhead and warn).
   * The root is no cluster: an edge back to it ends at its "any state" node.
   */
  const edge = (tail: string, from: StateNodeInfo, target: StateNodeInfo, text?: string): string => {
    const head = target === root ? anyId(root) : isContainer(target) ? anchorId(target) : target.id;
    const attributes = [
      ...(text === undefined ? [] : [`label=${label([text])}`]),
      ...(isContainer(target) && !isWithin(from, target) ? [`lhead=${quote(`cluster_${target.id}`)}`] : []),
    ];
    return `${quote(tail)} -> ${quote(head)}${attributes.length ? ` [${attributes.join(', ')}]` : ''};`;
  };

  const needsAny = new Set<StateNodeInfo>();
  const edges: string[] = [];
  for (const [source, list] of transitions) {
    if (isContainer(source) && (list.length > 0 || (source === root && stateNotes(source.definition).length > 0))) {
      needsAny.add(source);
    }
    const tail = isContainer(source) ? anyId(source) : source.id;
    for (const { targets, label: text } of list) {
      for (const target of targets) {
        if (target === root) needsAny.add(root);
        edges.push(edge(tail, source, target, text));
      }
    }
  }

  const out: string[] = [
    `digraph ${quote(machine.id)} {`,
    '  compound=true;',
    '  rankdir=LR;',
    '  fontname="Helvetica";',
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const emit = (depth: number, line: string): void => {
    out.push(`${'  '.repeat(depth)}${line}`);
  };

  const emitContents = (container: StateNodeInfo, depth: number): void => {
    const initial = initialChildOf(container);
    if (initial) {
      emit(depth, `${quote(anchorId(container))} [shape=point, width=0.12, label=""];`);
      emit(depth, edge(anchorId(container), container, initial));
    } else if (container.type === 'parallel') {
      emit(depth, `${quote(anchorId(container))} [shape=point, style=invis, width=0.01, label=""];`);
    }
    for (const child of container.children) emitState(child, depth);
    if (needsAny.has(container)) {
      const notes = container === root ? stateNotes(container.definition) : [];
      emit(
        depth,
        `${quote(anyId(container))} [label=${label(['any state', ...notes, ...stays(container)])}, style="rounded,dashed"];`,
      );
    }
  };

  function emitState(node: StateNodeInfo, depth: number): void {
    switch (node.type) {
      case 'history':
        emit(
          depth,
          `${quote(node.id)} [shape=circle, label=${quote(node.definition.history === 'deep' ? 'H*' : 'H')}];`,
        );
        return;
      case 'atomic':
      case 'final': {
        const shape = node.type === 'final' ? ', peripheries=2' : '';
        emit(
          depth,
          `${quote(node.id)} [label=${label([node.key, ...stateNotes(node.definition), ...stays(node)])}${shape}];`,
        );
        return;
      }
      case 'compound':
      case 'parallel': {
        emit(depth, `subgraph ${quote(`cluster_${node.id}`)} {`);
        emit(depth + 1, `label=${label([node.key, ...stateNotes(node.definition)])};`);
        emit(depth + 1, node.type === 'parallel' ? 'style="rounded,dashed";' : 'style=rounded;');
        emitContents(node, depth + 1);
        emit(depth, '}');
        return;
      }
    }
  }

  emitContents(root, 1);
  for (const edge of edges) emit(1, edge);
  out.push('}');
  return `${out.join('\n')}\n`;
}
