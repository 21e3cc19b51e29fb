import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineDocFiles, regenerateMachineDocsCommand } from '../protocol/statechart/docs.js';
import { readMachineDefinitions, syncMachineDocs } from './statechart-docs.js';
import { exampleDefinition } from '../protocol/statechart/statechart.fixtures.js';

describe('docs/machines files', () => {
  let dir: string;
  const files = machineDocFiles([{ name: 'example', definition: exampleDefinition }]);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-machine-docs-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should generate json, mermaid, dot and a README embedding the diagram when given a machine', () => {
    expect([...files.keys()]).toEqual(['example.json', 'example.mmd', 'example.dot', 'README.md']);
    const readme = files.get('README.md') ?? '';
    expect(readme).toContain(regenerateMachineDocsCommand);
    expect(readme).toContain('https://stately.ai/viz');
    expect(readme).toContain(`\`\`\`mermaid\n${files.get('example.mmd')}\`\`\``);
    expect(readme).toContain('| [example](#example) | `example` | 15 | An example that uses every construct. |');
  });

  it('should report every file as stale and write nothing when the directory is empty and not updating', () => {
    // Act
    const stale = syncMachineDocs(dir, files, false);

    // Assert
    expect(stale).toEqual(['README.md', 'example.dot', 'example.json', 'example.mmd']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('should write changed files and remove machines no longer generated when updating', () => {
    // Arrange
    fs.writeFileSync(path.join(dir, 'gone.json'), '{}');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    fs.writeFileSync(path.join(dir, 'example.mmd'), 'old');

    // Act
    const first = syncMachineDocs(dir, files, true);
    const second = syncMachineDocs(dir, files, false);

    // Assert
    expect(first).toEqual(['README.md', 'example.dot', 'example.json', 'example.mmd', 'gone.json']);
    expect(second).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'README.md',
      'example.dot',
      'example.json',
      'example.mmd',
      'notes.txt',
    ]);
  });

  it('should read back each definition and its text when the files were written', () => {
    // Arrange
    syncMachineDocs(dir, files, true);

    // Act
    const read = readMachineDefinitions(dir);

    // Assert
    expect(read).toEqual([{ name: 'example', text: files.get('example.json'), definition: exampleDefinition }]);
  });

  it('should name the file when a definition does not validate', () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"id": "x", "states": []}');
    expect(() => readMachineDefinitions(dir)).toThrow(/^failed to read the machine definition .*broken\.json: /);
  });

  it('should name the directory when it does not exist', () => {
    expect(() => readMachineDefinitions(path.join(dir, 'missing'))).toThrow(
      /^failed to read the machine definitions in /,
    );
  });
});
