/**
 * Reading and writing docs/machines. The CLI reads the JSON definitions here (it may not import
 * machines/); machines/catalogue.docs.test.ts writes them. The layout itself is protocol/statechart/docs.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { wrapError } from '../protocol/errors.js';
import { machineDefinitionSchema, type MachineDefinition } from '../protocol/statechart/definition.schema.js';

/** docs/machines under the repository (or package) root. */
export function machineDocsDir(root: string): string {
  return path.resolve(root, 'docs', 'machines');
}

export interface MachineDefinitionFile {
  name: string;
  /** The file as written (what `--format json` prints). */
  text: string;
  definition: MachineDefinition;
}

/** Every `<name>.json` in `dir`, sorted by name, each validated. */
export function readMachineDefinitions(dir: string): MachineDefinitionFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((file) => file.endsWith('.json'));
  } catch (error) {
    throw wrapError(`read the machine definitions in ${dir}`, error);
  }
  return names.sort().map((file) => {
    const name = file.slice(0, -'.json'.length);
    try {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return { name, text, definition: machineDefinitionSchema.parse(JSON.parse(text)) };
    } catch (error) {
      throw wrapError(`read the machine definition ${path.join(dir, file)}`, error);
    }
  });
}

/**
 * Compares `files` with what `dir` holds, and returns the names that differ: missing, changed, or
 * machine files no longer generated. With `update`, writes and removes them instead, so the next
 * comparison is clean.
 */
export function syncMachineDocs(dir: string, files: ReadonlyMap<string, string>, update: boolean): string[] {
  const generated = /\.(json|mmd|dot)$/;
  const present = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const stale = [
    ...[...files].filter(([name, content]) => {
      const file = path.join(dir, name);
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content;
    }),
    ...present
      .filter((name) => !files.has(name) && generated.test(name))
      .map((name): [string, string | undefined] => [name, undefined]),
  ];
  if (update) {
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, content] of stale) {
      if (content === undefined) fs.rmSync(path.join(dir, name));
      else fs.writeFileSync(path.join(dir, name), content);
    }
  }
  return stale.map(([name]) => name).sort();
}
