/**
 * Every machine rdd runs, by the name the CLI and docs/machines use, and its definition as JSON
 * (protocol/statechart/definition.schema.ts): the config the Stately tools import and the diagrams are
 * drawn from. Pure: the files are written by machines/catalogue.docs.test.ts.
 *
 * Why not `machine.toJSON()`: XState's serialised definition leaves out eventless (`always`)
 * transitions, turns inline actions and guards into `null`, spells delayed transitions and invoke
 * completions as internal `xstate.after.*` / `xstate.done.actor.*` events with the raise/cancel actions
 * that implement them, and is no config `createMachine` accepts. This walks the same resolved state
 * nodes and writes them back as a config.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import type {
  InvokeDefinition,
  MachineDefinition,
  StateDefinition,
  TransitionDefinition,
} from '../protocol/statechart/definition.schema.js';
import { appMachine } from './app.machine.js';
import { containerMachine } from './container.machine.js';
import { engineConnectionMachine } from './engine-connection.machine.js';
import { vmMachine } from './vm.machine.js';

export interface CatalogueEntry {
  /** Lower-case and dashed, as the machine's file is named; the file stem in docs/machines. */
  name: string;
  description: string;
  machine: AnyStateMachine;
}

/** Sorted by name. `app-settled.ts` is not here: it is an ordered rule list, not a machine. */
export const machineCatalogue: readonly CatalogueEntry[] = [
  {
    name: 'app',
    description:
      "The App actor: turns each App generation into desired messages for the VM and engine actors and folds their reports into the App's conditions.",
    machine: appMachine,
  },
  {
    name: 'container',
    description:
      'One container mirror: converges the engine towards the desired state through the desired x actual matrix, runs one-shot actions, backs off crash loops and never fights the user.',
    machine: containerMachine,
  },
  {
    name: 'engine-connection',
    description:
      "The engine-connection actor: connects to the engine's socket, streams its events and reconnects with backoff.",
    machine: engineConnectionMachine,
  },
  {
    name: 'vm',
    description:
      'The VM actor: starts and stops the VM and its engine, restarts it when it dies, and applies a changed template.',
    machine: vmMachine,
  },
];

const combinators = new Set(['and', 'or', 'not']);

/** A guard as the JSON names it: its name, `not(x)`/`and(x, y)`/`or(x, y)`, or `inline`. */
export function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    // XState's not/and/or return functions carrying the guards they combine.
    const inner = (guard as { guards?: unknown }).guards;
    if (combinators.has(guard.name) && inner !== undefined) {
      return `${guard.name}(${[inner]
        .flat()
        .map((g) => guardName(g) ?? 'inline')
        .join(', ')})`;
    }
    return 'inline';
  }
  return typeof guard === 'object' && guard !== null && 'type' in guard ? String(guard.type) : 'inline';
}

/** An action as the JSON names it: its name, a built-in's type (`xstate.assign`), or `inline`. */
export function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  // Built-ins (assign, raise, sendTo, …) carry their type; any other function is an inline action.
  if (typeof action === 'function') return 'resolve' in action && 'type' in action ? String(action.type) : 'inline';
  return typeof action === 'object' && action !== null && 'type' in action ? String(action.type) : 'inline';
}

function actionNames(actions: unknown): string[] {
  return (actions === undefined ? [] : [actions].flat()).map(actionName);
}

function isStrictlyWithin(node: AnyStateNode, ancestor: AnyStateNode): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/** The shortest form XState resolves back to `target` from `source`: `.child`, `sibling.path`, `#id`. */
function targetString(source: AnyStateNode, target: AnyStateNode): string {
  if (isStrictlyWithin(target, source)) return `.${target.path.slice(source.path.length).join('.')}`;
  const { parent } = source;
  if (parent && isStrictlyWithin(target, parent)) return target.path.slice(parent.path.length).join('.');
  return `#${target.id}`;
}

function transitionOf(transition: AnyTransitionDefinition): TransitionDefinition {
  const targets = (transition.target ?? []).map((target) => targetString(transition.source, target));
  const guard = guardName(transition.guard);
  const actions = actionNames(transition.actions);
  return {
    ...(targets.length === 1 ? { target: targets[0] } : targets.length > 1 ? { target: targets } : {}),
    ...(guard === undefined ? {} : { guard }),
    ...(actions.length ? { actions } : {}),
    ...(transition.reenter ? { reenter: true } : {}),
    ...(transition.description ? { description: transition.description } : {}),
  };
}

function transitionsFor(node: AnyStateNode, eventType: string): TransitionDefinition[] {
  return (node.transitions.get(eventType) ?? []).map(transitionOf);
}

function invokeOf(node: AnyStateNode, index: number): InvokeDefinition {
  const invoke = node.invoke[index];
  if (!invoke) throw new Error(`state "${node.id}" has no invoke #${index}`);
  const configured = [node.config.invoke].flat()[index] as { id?: string } | undefined;
  const onDone = transitionsFor(node, `xstate.done.actor.${invoke.id}`);
  const onError = transitionsFor(node, `xstate.error.actor.${invoke.id}`);
  return {
    ...(configured?.id ? { id: invoke.id } : {}),
    src: invoke.src as string,
    ...(invoke.systemId ? { systemId: invoke.systemId } : {}),
    ...(onDone.length ? { onDone } : {}),
    ...(onError.length ? { onError } : {}),
  };
}

function stateOf(node: AnyStateNode): StateDefinition {
  const { config } = node;
  const defaultId = [node.machine.id, ...node.path].join('.');
  const on = Object.keys(config.on ?? {}).map((event) => [event, transitionsFor(node, event)] as const);
  const after = new Map<string, TransitionDefinition[]>();
  for (const delayed of node.after) {
    const delay = String(delayed.delay);
    after.set(delay, [...(after.get(delay) ?? []), transitionOf(delayed)]);
  }
  const always = (node.always ?? []).map(transitionOf);
  const invoke = node.invoke.map((_, index) => invokeOf(node, index));
  const onDone = config.onDone ? transitionsFor(node, `xstate.done.state.${node.id}`) : [];
  // From the config, not the node: XState appends the raise/cancel actions that implement `after`.
  const entry = actionNames(config.entry);
  const exit = actionNames(config.exit);
  const initial = node.type === 'compound' ? node.initial.target[0] : undefined;
  const states = Object.entries(node.states);
  return {
    ...(node.parent && node.id !== defaultId ? { id: node.id } : {}),
    ...(['parallel', 'final', 'history'].includes(node.type) ? { type: node.type } : {}),
    ...(node.type === 'history' ? { history: node.history || 'shallow' } : {}),
    ...(initial ? { initial: initial.path.slice(node.path.length).join('.') } : {}),
    ...(node.description ? { description: node.description } : {}),
    ...(node.tags.length ? { tags: [...node.tags] } : {}),
    ...(entry.length ? { entry } : {}),
    ...(exit.length ? { exit } : {}),
    ...(on.length ? { on: Object.fromEntries(on) } : {}),
    ...(always.length ? { always } : {}),
    ...(after.size ? { after: Object.fromEntries(after) } : {}),
    ...(invoke.length ? { invoke } : {}),
    ...(onDone.length ? { onDone } : {}),
    ...(states.length ? { states: Object.fromEntries(states.map(([key, child]) => [key, stateOf(child)])) } : {}),
  };
}

/** The machine as a JSON config; `description` (the catalogue's) goes on the root. */
export function machineDefinitionOf(machine: AnyStateMachine, description?: string): MachineDefinition {
  const { description: own, ...root } = stateOf(machine.root);
  const text = description ?? own;
  return { id: machine.id, ...(text ? { description: text } : {}), ...root };
}
