/**
 * docs/machines is generated from the catalogue: this test fails when it is stale and, with
 * UPDATE_MACHINE_DOCS=1, rewrites it instead. File access goes through host/statechart-docs.ts
 * so that nothing in machines/ imports node:*.
 */
import { machineDocFiles, regenerateMachineDocsCommand } from '../protocol/statechart/docs.js';
import { machineDocsDir, syncMachineDocs } from '../host/statechart-docs.js';
import { machineCatalogue, machineDefinitionOf } from './catalogue.js';

describe('docs/machines', () => {
  it('should match the machines of the catalogue when the docs are regenerated', () => {
    // Arrange
    const files = machineDocFiles(
      machineCatalogue.map(({ name, description, machine }) => ({
        name,
        definition: machineDefinitionOf(machine, description),
      })),
    );
    const update = process.env.UPDATE_MACHINE_DOCS === '1';

    // Act
    const stale = syncMachineDocs(machineDocsDir(`${__dirname}/..`), files, update);

    // Assert
    if (stale.length > 0 && !update) {
      throw new Error(
        `docs/machines is stale (${stale.join(', ')}); regenerate it with: ${regenerateMachineDocsCommand}`,
      );
    }
  });
});
