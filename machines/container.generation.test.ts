/** The machine is the only owner of the desired state's generation: every change bumps it, nothing else does. */
import { byUser, startContainer, stopContainers } from './container.machine.fixtures.js';

afterEach(() => stopContainers());

describe('containerMachine generation', () => {
  it('should bump the generation when the desired state changes, and not when it is sent again', () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.desire('running');
    const unchanged = container.context().generation;
    container.desire('created');

    // Assert
    expect(unchanged).toBe(1);
    expect(container.context()).toMatchObject({ desired: 'created', generation: 2 });
  });

  it('should bump the generation when it releases the desired state to a user', () => {
    // Arrange
    const container = startContainer('running', 'running');

    // Act
    container.observe('exited', byUser('stop'));

    // Assert
    expect(container.releases).toHaveLength(1);
    expect(container.context()).toMatchObject({ desired: 'unknown', generation: 2 });
  });

  it('should keep the generation when the owner echoes the released unknown back', () => {
    // Arrange
    const container = startContainer('running', 'running');
    container.observe('exited', byUser('stop'));

    // Act
    container.desire('unknown');

    // Assert
    expect(container.context()).toMatchObject({ desired: 'unknown', generation: 2 });
  });
});
