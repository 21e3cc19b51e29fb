import {
  actualStates,
  consumeOwnEvent,
  containerMatrix,
  desiredStates,
  fights,
  nextStep,
  parseActualState,
  parseDesiredState,
  type ActualState,
  type DesiredState,
  type OneShotAction,
  type Step,
} from './container-matrix.js';

// Written from DESIGN.md §6 and the brief, independently of the implementation's table.
const expected: [DesiredState, ActualState, Step['do']][] = [
  ['unknown', 'created', 'nothing'],
  ['unknown', 'running', 'nothing'],
  ['unknown', 'paused', 'nothing'],
  ['unknown', 'restarting', 'nothing'],
  ['unknown', 'removing', 'nothing'],
  ['unknown', 'exited', 'nothing'],
  ['unknown', 'dead', 'nothing'],
  ['unknown', 'unknown', 'nothing'],
  ['running', 'created', 'start'],
  ['running', 'running', 'nothing'],
  ['running', 'paused', 'unpause'],
  ['running', 'restarting', 'wait'],
  ['running', 'removing', 'wait'],
  ['running', 'exited', 'start'],
  ['running', 'dead', 'start'],
  ['running', 'unknown', 'wait'],
  ['created', 'created', 'nothing'],
  ['created', 'running', 'stop'],
  ['created', 'paused', 'stop'],
  ['created', 'restarting', 'stop'],
  ['created', 'removing', 'wait'],
  ['created', 'exited', 'nothing'],
  ['created', 'dead', 'nothing'],
  ['created', 'unknown', 'wait'],
  ['paused', 'created', 'start'],
  ['paused', 'running', 'pause'],
  ['paused', 'paused', 'nothing'],
  ['paused', 'restarting', 'wait'],
  ['paused', 'removing', 'wait'],
  ['paused', 'exited', 'start'],
  ['paused', 'dead', 'start'],
  ['paused', 'unknown', 'wait'],
];

describe('containerMatrix', () => {
  it('should cover every desired × actual cell exactly once when the table is complete', () => {
    // Arrange
    const cells = desiredStates.flatMap((desired) => actualStates.map((actual) => `${desired}/${actual}`));

    // Act
    const written = Object.entries(containerMatrix).flatMap(([desired, row]) =>
      Object.keys(row).map((actual) => `${desired}/${actual}`),
    );

    // Assert
    expect(cells).toHaveLength(32);
    expect(written.sort()).toEqual(cells.sort());
    expect(expected.map(([desired, actual]) => `${desired}/${actual}`).sort()).toEqual(cells.sort());
  });

  it.each(expected)('should step desired %s, actual %s to %s', (desired, actual, step) => {
    // Act
    const result = nextStep(desired, actual);

    // Assert
    expect(result.do).toBe(step);
    expect(result.why).toEqual(expect.any(String));
    expect(result.why.length).toBeGreaterThan(0);
  });

  it.each<[DesiredState, OneShotAction, boolean]>([
    ['running', 'stop', true],
    ['running', 'kill', true],
    ['running', 'pause', true],
    ['running', 'unpause', false],
    ['running', 'start', false],
    ['running', 'restart', false],
    ['created', 'stop', false],
    ['created', 'kill', false],
    ['created', 'pause', true],
    ['created', 'unpause', true],
    ['created', 'start', true],
    ['created', 'restart', true],
    ['paused', 'stop', true],
    ['paused', 'kill', true],
    ['paused', 'pause', false],
    ['paused', 'unpause', true],
    ['paused', 'start', true],
    ['paused', 'restart', true],
    ['unknown', 'stop', false],
    ['unknown', 'start', false],
  ])('should say desired %s fights a %s: %s', (desired, action, fought) => {
    // Act
    const result = fights(desired, action);

    // Assert
    expect(result).toBe(fought);
  });
});

describe('parseDesiredState', () => {
  it.each(desiredStates)('should accept %s when it is a valid desired state', (state) => {
    // Act
    const result = parseDesiredState(state);

    // Assert
    expect(result).toBe(state);
  });

  it.each(['stopped', 'Running', '', 'exited'])('should throw listing the valid values when given %j', (value) => {
    // Act
    const parse = () => parseDesiredState(value);

    // Assert
    expect(parse).toThrow(
      `invalid desired container state ${JSON.stringify(value)}: valid values are unknown, created, running, paused`,
    );
  });
});

describe('parseActualState', () => {
  it.each(actualStates)('should keep %s when the engine reports it', (state) => {
    // Act
    const result = parseActualState(state);

    // Assert
    expect(result).toBe(state);
  });

  it.each(['pausing', 'Running', '', 'zombie'])(
    'should map %j to unknown when the engine state is unrecognised',
    (state) => {
      // Act
      const result = parseActualState(state);

      // Assert
      expect(result).toBe('unknown');
    },
  );
});

describe('consumeOwnEvent', () => {
  it.each<[string[], string, string[]]>([
    [['kill', 'die', 'stop'], 'kill', ['die', 'stop']],
    [['kill', 'die', 'stop'], 'die', ['stop']],
    [['start', 'pause'], 'start', ['pause']],
    [['start', 'pause'], 'pause', []],
    [['kill', 'die', 'stop'], 'stop', []],
    [['kill', 'die', 'stop', 'start', 'restart'], 'restart', []],
    [['start'], 'pause', ['start']],
    [[], 'die', []],
  ])('should leave %j as expected when %s arrives', (pending, action, left) => {
    // Act
    const result = consumeOwnEvent(pending, action);

    // Assert
    expect(result).toEqual(left);
  });
});
