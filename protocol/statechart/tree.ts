/**
 * The state tree of a {@link MachineDefinition} with XState's target resolution, and the wording both
 * diagram renderers share, so a mermaid and a dot diagram of one machine say the same thing.
 */
import type { MachineDefinition, StateDefinition, StateType, TransitionDefinition } from './definition.schema.js';

export interface StateNodeInfo {
  key: string;
  /** Keys from the root (empty for the root). */
  path: string[];
  /** The state id XState uses: the configured one, else `<machine id>.<path>`. */
  id: string;
  type: StateType;
  parent: StateNodeInfo | undefined;
  children: StateNodeInfo[];
  definition: StateDefinition;
}

export interface Statechart {
  root: StateNodeInfo;
  /** Every state except the root, in document order. */
  states: StateNodeInfo[];
  byId: ReadonlyMap<string, StateNodeInfo>;
}

/** One transition of a state, resolved: `targets` is empty for a transition that stays. */
export interface ResolvedTransition {
  source: StateNodeInfo;
  targets: StateNodeInfo[];
  /** `EVENT [guard] / action, action`. */
  label: string;
}

export function stateTypeOf(definition: StateDefinition): StateType {
  if (definition.type) return definition.type;
  return Object.keys(definition.states ?? {}).length > 0 ? 'compound' : 'atomic';
}

export function indexStatechart(machine: MachineDefinition): Statechart {
  const byId = new Map<string, StateNodeInfo>();
  const states: StateNodeInfo[] = [];
  const visit = (key: string, definition: StateDefinition, parent: StateNodeInfo | undefined): StateNodeInfo => {
    const path = parent ? [...parent.path, key] : [];
    const node: StateNodeInfo = {
      key,
      path,
      id: definition.id ?? [machine.id, ...path].join('.'),
      type: stateTypeOf(definition),
      parent,
      children: [],
      definition,
    };
    if (byId.has(node.id)) throw new Error(`state id "${node.id}" is used twice`);
    byId.set(node.id, node);
    if (parent) states.push(node);
    node.children = Object.entries(definition.states ?? {}).map(([childKey, child]) => visit(childKey, child, node));
    return node;
  };
  const root = visit(machine.id, machine, undefined);
  return { root, states, byId };
}

/** Every state of the machine, nested ones included, not counting the root. */
export function countStates(machine: MachineDefinition): number {
  return indexStatechart(machine).states.length;
}

function descend(from: StateNodeInfo, keys: readonly string[], target: string): StateNodeInfo {
  let node = from;
  for (const key of keys) {
    const child = node.children.find((candidate) => candidate.key === key);
    if (!child) throw new Error(`target "${target}" of a transition in "${from.id}" names no state`);
    node = child;
  }
  return node;
}

/** Resolves one target string the way XState does (see definition.schema.ts). */
export function resolveTarget(chart: Statechart, source: StateNodeInfo, target: string): StateNodeInfo {
  if (target.startsWith('#')) {
    const [id = '', ...rest] = target.slice(1).split('.');
    const byId = chart.byId.get(id);
    if (!byId) throw new Error(`target "${target}" of a transition in "${source.id}" names no state id`);
    return descend(byId, rest, target);
  }
  if (target.startsWith('.')) return descend(source, target.slice(1).split('.'), target);
  if (!source.parent) throw new Error(`target "${target}" of the root needs a leading "." or "#"`);
  return descend(source.parent, target.split('.'), target);
}

export function transitionLabel(trigger: string, transition: TransitionDefinition): string {
  const guard = transition.guard ? ` [${transition.guard}]` : '';
  const reenter = transition.reenter ? ' (reenter)' : '';
  const actions = transition.actions?.length ? ` / ${transition.actions.join(', ')}` : '';
  return `${trigger}${guard}${reenter}${actions}`;
}

function delayLabel(delay: string): string {
  return /^\d+$/.test(delay) ? `after ${delay}ms` : `after ${delay}`;
}

/** The state's own transitions in XState's order of kinds: events, eventless, delayed, completions. */
export function transitionsOf(chart: Statechart, node: StateNodeInfo): ResolvedTransition[] {
  const { definition } = node;
  const triggered: [string, TransitionDefinition[]][] = [
    ...Object.entries(definition.on ?? {}),
    ['always', definition.always ?? []],
    ...Object.entries(definition.after ?? {}).map(([delay, list]): [string, TransitionDefinition[]] => [
      delayLabel(delay),
      list,
    ]),
    ...(definition.invoke ?? []).flatMap((invoke): [string, TransitionDefinition[]][] => [
      [`${invoke.src} done`, invoke.onDone ?? []],
      [`${invoke.src} error`, invoke.onError ?? []],
    ]),
    ['done', definition.onDone ?? []],
  ];
  return triggered.flatMap(([trigger, list]) =>
    list.map((transition) => {
      const targets = transition.target === undefined ? [] : [transition.target].flat();
      return {
        source: node,
        targets: targets.map((target) => resolveTarget(chart, node, target)),
        label: transitionLabel(trigger, transition),
      };
    }),
  );
}

/** What the state does while active: entry and exit actions, invoked actors. */
export function stateNotes(definition: StateDefinition): string[] {
  return [
    ...(definition.entry?.length ? [`entry / ${definition.entry.join(', ')}`] : []),
    ...(definition.exit?.length ? [`exit / ${definition.exit.join(', ')}`] : []),
    ...(definition.invoke ?? []).map((invoke) => `invoke ${invoke.src}`),
    ...(definition.tags?.length ? [`tags ${definition.tags.join(', ')}`] : []),
  ];
}

/** True when `node` is `ancestor` or lies inside it. */
export function isWithin(node: StateNodeInfo, ancestor: StateNodeInfo): boolean {
  for (let current: StateNodeInfo | undefined = node; current; current = current.parent) {
    if (current === ancestor) return true;
  }
  return false;
}

/** The initial child of a compound state (the first child when `initial` is absent). */
export function initialChildOf(node: StateNodeInfo): StateNodeInfo | undefined {
  if (node.type !== 'compound') return undefined;
  const key = node.definition.initial;
  const child = key === undefined ? node.children[0] : node.children.find((candidate) => candidate.key === key);
  if (!child) throw new Error(`initial state "${key}" of "${node.id}" is not one of its children`);
  return child;
}
