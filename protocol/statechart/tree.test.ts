import { machineDefinitionSchema } from './definition.schema.js';
import { exampleDefinition } from './statechart.fixtures.js';
import { countStates, indexStatechart, resolveTarget, transitionsOf } from './tree.js';

describe('indexStatechart', () => {
  it('should give every state its XState id when a state sets its own or not', () => {
    // Act
    const chart = indexStatechart(exampleDefinition);

    // Assert
    expect(chart.states.map((state) => state.id)).toContain('example.work.upload.running');
    expect(chart.byId.get('failure')?.path).toEqual(['failed']);
    expect(chart.byId.get('example.work')?.type).toBe('parallel');
    expect(chart.byId.get('example.idle')?.type).toBe('atomic');
  });

  it('should count nested states but not the root when counting states', () => {
    expect(countStates(exampleDefinition)).toBe(15);
  });
});

describe('resolveTarget', () => {
  const chart = indexStatechart(exampleDefinition);
  const state = (id: string) => chart.byId.get(id)!;

  it.each([
    ['a sibling key', 'example.idle', 'work', 'example.work'],
    ['a sibling path', 'failure', 'paused.hist', 'example.paused.hist'],
    ['a child of the source', 'example', '.idle', 'example.idle'],
    ['a custom id', 'example.work.upload.running', '#failure', 'failure'],
    ['an id and a path', 'example.paused', '#example.paused.hist', 'example.paused.hist'],
    ['the root', 'failure', '#example', 'example'],
  ])('should find the state when the target is %s', (_, source, target, expected) => {
    expect(resolveTarget(chart, state(source), target).id).toBe(expected);
  });

  it.each([
    ['a key no sibling has', 'example.idle', 'nowhere'],
    ['an unknown id', 'example.idle', '#nowhere'],
    ['a bare key from the root', 'example', 'idle'],
  ])('should throw when the target is %s', (_, source, target) => {
    expect(() => resolveTarget(chart, state(source), target)).toThrow(/names no state|needs a leading/);
  });
});

describe('transitionsOf', () => {
  it('should label every kind of transition when a state has them', () => {
    // Arrange
    const chart = indexStatechart(exampleDefinition);

    // Act
    const labels = (id: string) => transitionsOf(chart, chart.byId.get(id)!).map((t) => t.label);

    // Assert
    expect(labels('example.idle')).toEqual([
      'GO [ready]',
      'GO [not(ready)]',
      'AGAIN (reenter)',
      'after 1000ms',
      'after patience / nag',
    ]);
    expect(labels('example.work.upload.running')).toEqual(['upload done / xstate.assign', 'upload error']);
    expect(labels('example.work.progress.running')).toEqual(['TICK / count', 'always [complete]']);
    expect(labels('example.work')).toEqual(['done']);
  });
});

describe('machineDefinitionSchema', () => {
  it('should accept the example when it is read back from JSON', () => {
    expect(machineDefinitionSchema.parse(JSON.parse(JSON.stringify(exampleDefinition)))).toEqual(exampleDefinition);
  });

  it('should reject a definition when a transition list is not an array', () => {
    const broken = { id: 'x', initial: 'a', states: { a: { on: { GO: { target: 'b' } } } } };
    expect(machineDefinitionSchema.safeParse(broken).success).toBe(false);
  });
});
