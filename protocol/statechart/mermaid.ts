/**
 * A machine definition as a mermaid `stateDiagram-v2`. Compound states are composite blocks, parallel
 * regions are separated by `--`, final states lead to `[*]`. Transitions that stay are listed in their
 * state (`settled : OBSERVED [quiet] / observe`). A compound state's own transitions (the root's
 * included) start from an "any state" node inside it: mermaid draws no edge from a composite to its own
 * children. Each edge is declared in the innermost block holding both ends, as mermaid requires.
 */
import type { MachineDefinition } from './definition.schema.js';
import {
  indexStatechart,
  initialChildOf,
  stateNotes,
  transitionsOf,
  type StateNodeInfo,
  type Statechart,
} from './tree.js';

// Words that start a mermaid statement; a state named so would be read as one.
const reserved = new Set(['state', 'note', 'end', 'direction', 'class', 'classDef', 'style', 'click', 'as']);

/** Mermaid ids: the state's key when unique and plain, else its path; the "any state" nodes get `_any`. */
function assignIds(chart: Statechart): { ids: Map<StateNodeInfo, string>; anyIds: Map<StateNodeInfo, string> } {
  const used = new Set<string>();
  const unique = (wanted: string): string => {
    let base = wanted.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(base) || reserved.has(base)) base = `s_${base}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    return id;
  };
  const keyCounts = new Map<string, number>();
  for (const state of chart.states) keyCounts.set(state.key, (keyCounts.get(state.key) ?? 0) + 1);
  const ids = new Map<StateNodeInfo, string>();
  for (const state of chart.states) {
    ids.set(state, unique(keyCounts.get(state.key) === 1 ? state.key : state.path.join('_')));
  }
  const anyIds = new Map<StateNodeInfo, string>();
  for (const node of [chart.root, ...chart.states]) {
    if (node.type === 'compound' || node.type === 'parallel' || node === chart.root) {
      anyIds.set(node, unique(`${node === chart.root ? node.key : (ids.get(node) ?? node.key)}_any`));
    }
  }
  return { ids, anyIds };
}

function text(value: string): string {
  return value.replace(/[;#:{}"\r\n]/g, ' ').trim();
}

/** The block an edge end is declared in: a compound state or the root, never a parallel state. */
function blockOf(node: StateNodeInfo, root: StateNodeInfo): StateNodeInfo {
  let block = node;
  while (block !== root && block.type !== 'compound') block = block.parent ?? root;
  return block;
}

function commonBlock(a: StateNodeInfo, b: StateNodeInfo, root: StateNodeInfo): StateNodeInfo {
  const ancestors = new Set<StateNodeInfo>();
  for (let node: StateNodeInfo | undefined = a; node; node = node.parent) ancestors.add(node);
  let common = b;
  while (!ancestors.has(common)) common = common.parent ?? root;
  return blockOf(common, root);
}

export function renderMermaid(machine: MachineDefinition): string {
  const chart = indexStatechart(machine);
  const { root } = chart;
  const { ids, anyIds } = assignIds(chart);
  const nodes = [root, ...chart.states];
  const transitions = new Map(nodes.map((node) => [node, transitionsOf(chart, node)] as const));
  const drawnFromItself = (node: StateNodeInfo): boolean => node !== root && !anyIds.has(node);
  // Where a compound or parallel state's (or the root's) "any state" node is declared.
  const anyBlockOf = (node: StateNodeInfo): StateNodeInfo =>
    node.type === 'parallel' && node !== root ? blockOf(node.parent ?? root, root) : node;

  const needsAny = new Set<StateNodeInfo>();
  const edgesByBlock = new Map<StateNodeInfo, string[]>();
  for (const [source, list] of transitions) {
    if (!drawnFromItself(source) && (list.length > 0 || stateNotes(source.definition).length > 0)) {
      needsAny.add(source);
    }
    for (const { targets, label } of list) {
      for (const target of targets) {
        // The root is no box: a transition back to it points at its "any state" node.
        if (target === root) needsAny.add(root);
        const tailBlock = drawnFromItself(source) ? blockOf(source.parent ?? root, root) : anyBlockOf(source);
        const headBlock = target === root ? root : blockOf(target.parent ?? root, root);
        const block = commonBlock(tailBlock, headBlock, root);
        const tail = drawnFromItself(source) ? ids.get(source) : anyIds.get(source);
        const head = target === root ? anyIds.get(root) : ids.get(target);
        edgesByBlock.set(block, [...(edgesByBlock.get(block) ?? []), `${tail} --> ${head} : ${text(label)}`]);
      }
    }
  }

  const out: string[] = ['stateDiagram-v2'];
  const emit = (depth: number, line: string): void => {
    out.push(`${'  '.repeat(depth)}${line}`);
  };
  const inside = (node: StateNodeInfo): string[] => [
    ...stateNotes(node.definition).map(text),
    ...(transitions.get(node) ?? []).filter((t) => t.targets.length === 0).map((t) => text(t.label)),
  ];

  const emitAnyNode = (node: StateNodeInfo, depth: number): void => {
    const id = anyIds.get(node) ?? '';
    emit(depth, `state "any state" as ${id}`);
    const lines = inside(node);
    if (lines.length === 0) return;
    emit(depth, `note right of ${id}`);
    for (const line of lines) emit(depth + 1, line);
    emit(depth, 'end note');
  };

  const emitState = (node: StateNodeInfo, depth: number): void => {
    const id = ids.get(node) ?? '';
    switch (node.type) {
      case 'history':
        emit(depth, `state "${node.definition.history === 'deep' ? 'H*' : 'H'}" as ${id}`);
        return;
      case 'atomic':
      case 'final':
        emit(depth, id === node.key ? id : `state "${text(node.key)}" as ${id}`);
        for (const line of inside(node)) emit(depth, `${id} : ${line}`);
        if (node.type === 'final') emit(depth, `${id} --> [*]`);
        return;
      case 'compound':
        emit(depth, `state ${id} {`);
        emitBlock(node, depth + 1);
        emit(depth, '}');
        return;
      case 'parallel':
        emit(depth, `state ${id} {`);
        node.children.forEach((region, index) => {
          if (index > 0) emit(depth + 1, '--');
          emitState(region, depth + 1);
        });
        emit(depth, '}');
        return;
    }
  };

  // The contents of a compound state or of the root (whose parallel regions simply stand side by side).
  function emitBlock(block: StateNodeInfo, depth: number): void {
    const initial = initialChildOf(block);
    if (initial) emit(depth, `[*] --> ${ids.get(initial)}`);
    for (const child of block.children) emitState(child, depth);
    for (const node of nodes) if (needsAny.has(node) && anyBlockOf(node) === block) emitAnyNode(node, depth);
    for (const edge of edgesByBlock.get(block) ?? []) emit(depth, edge);
  }

  emitBlock(root, 1);
  return `${out.join('\n')}\n`;
}
