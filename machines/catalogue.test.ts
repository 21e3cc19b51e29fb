import {
  and,
  assign,
  createMachine,
  not,
  raise,
  setup,
  StateMachine,
  type AnyStateMachine,
  type AnyStateNode,
  type AnyTransitionDefinition,
} from 'xstate';
import { machineDefinitionSchema } from '../protocol/statechart/definition.schema.js';
import { renderMachineJson } from '../protocol/statechart/docs.js';
import { renderDot } from '../protocol/statechart/dot.js';
import { renderMermaid } from '../protocol/statechart/mermaid.js';
import { checkDot, checkMermaid, exampleDefinition } from '../protocol/statechart/statechart.fixtures.js';
import { actionName, guardName, machineCatalogue, machineDefinitionOf } from './catalogue.js';
import * as machines from './index.js';

/**
 * What XState resolved from a machine, with implementations by name. Comparing it for the original and
 * for the machine recreated from the JSON shows that the JSON loses nothing of the statechart. What the
 * JSON deliberately leaves out is not compared: action params, guard and action code (inline ones are
 * named `inline`), the context factory, invoke input mappers and delay values. The root's description
 * comes from the catalogue, not the machine. (XState's own `toJSON()` cannot be compared instead: it
 * omits `always` and serialises inline implementations as null.)
 */
function resolved(machine: AnyStateMachine): unknown[] {
  const nodes: AnyStateNode[] = [];
  const walk = (node: AnyStateNode): void => {
    nodes.push(node);
    Object.values(node.states).forEach(walk);
  };
  walk(machine.root);
  const transition = (t: AnyTransitionDefinition) => ({
    event: t.eventType,
    targets: t.target?.map((target) => target.id),
    guard: guardName(t.guard),
    reenter: t.reenter,
    actions: t.actions.map(actionName),
    delay: (t as { delay?: unknown }).delay,
  });
  return nodes.map((node) => ({
    id: node.id,
    type: node.type,
    history: node.history,
    order: node.order,
    tags: node.tags,
    description: node.parent ? node.description : undefined,
    initial: node.initial.target.map((target) => target.id),
    // These include the raise/cancel actions XState adds for `after`: both sides must have the same.
    entry: node.entry.map(actionName),
    exit: node.exit.map(actionName),
    transitions: [...node.transitions.values()].flat().map(transition),
    always: (node.always ?? []).map(transition),
    invoke: node.invoke.map(({ id, src, systemId }) => ({ id, src, systemId })),
  }));
}

describe('machineCatalogue', () => {
  it('should hold every machine machines/index.ts exports when one is added', () => {
    const exported = Object.values(machines).filter((value) => value instanceof StateMachine);
    expect(new Set(machineCatalogue.map((entry) => entry.machine))).toEqual(new Set(exported));
  });

  it('should name machines uniquely, lower-case and dashed, in order when listed', () => {
    const names = machineCatalogue.map((entry) => entry.name);
    expect(names).toEqual([...new Set(names)].sort());
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
});

describe.each(machineCatalogue.map((entry) => [entry.name, entry] as const))('the %s machine', (_, entry) => {
  const definition = machineDefinitionOf(entry.machine, entry.description);
  const json = renderMachineJson(definition);

  it('should export JSON the definition schema accepts when written', () => {
    expect(machineDefinitionSchema.parse(JSON.parse(json))).toEqual(definition);
  });

  it('should export the same definition again when createMachine reads the JSON', () => {
    expect(machineDefinitionOf(createMachine(JSON.parse(json) as object))).toEqual(definition);
  });

  it('should resolve to the same statechart as the original when createMachine reads the JSON', () => {
    expect(resolved(createMachine(JSON.parse(json) as object))).toEqual(resolved(entry.machine));
  });

  it('should render a mermaid diagram that holds together', () => {
    expect(checkMermaid(renderMermaid(definition))).toEqual([]);
  });

  it('should render a dot graph that holds together', () => {
    expect(checkDot(renderDot(definition))).toEqual([]);
  });
});

describe('machineDefinitionOf', () => {
  it('should give back the config when a machine is created from one using every construct', () => {
    expect(machineDefinitionOf(createMachine(exampleDefinition as object))).toEqual(exampleDefinition);
  });

  it('should name combined, inline and built-in implementations when the machine has them', () => {
    // Arrange
    const machine = setup({
      guards: { a: () => true, b: () => true },
      actions: { act: (_, _params: { n: number }) => undefined },
    }).createMachine({
      id: 'm',
      initial: 'x',
      states: {
        x: {
          on: {
            E: [
              { guard: and(['a', not('b')]), actions: [assign({}), () => undefined, raise({ type: 'F' })] },
              { guard: () => true, actions: { type: 'act', params: { n: 1 } } },
            ],
          },
        },
      },
    });

    // Act
    const on = machineDefinitionOf(machine).states?.x?.on;

    // Assert
    expect(on).toEqual({
      E: [
        { guard: 'and(a, not(b))', actions: ['xstate.assign', 'inline', 'xstate.raise'] },
        { guard: 'inline', actions: ['act'] },
      ],
    });
  });
});
