/**
 * When bin/rdd may answer without oclif, and when it must leave the answer to oclif. That each answer is
 * byte for byte oclif's is checked against the real CLI in e2e/cli-fast-path.e2e.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fastAnswer, renderedHelpFile, type RenderedHelp, type Surroundings } from './fast-path.js';

describe('fastAnswer', () => {
  let root: string;
  let pipe: Surroundings;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-fast-path-'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'rdd', version: '1.2.3' }));
    fs.mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
    fs.writeFileSync(path.join(root, 'oclif.manifest.json'), '{"commands":{}}');
    const rendered: RenderedHelp = {
      manifestSize: fs.statSync(path.join(root, 'oclif.manifest.json')).size,
      texts: { '': 'ROOT HELP\n', 'svc start': 'SVC START HELP\n' },
    };
    fs.writeFileSync(path.join(root, 'dist', 'cli', renderedHelpFile), JSON.stringify(rendered));
    pipe = { root, env: {}, stdoutIsTerminal: false };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const platform = `${process.platform}-${process.arch}`;

  it('should print the version as the Version command does, as text and as JSON', () => {
    expect(fastAnswer(['version'], pipe)).toBe(`rdd 1.2.3 (node ${process.version}, ${platform})\n`);
    const json = { version: '1.2.3', node: process.version, platform };
    expect(fastAnswer(['version', '-o', 'json'], pipe)).toBe(`${JSON.stringify(json, null, 2)}\n`);
    expect(fastAnswer(['version', '--output=json'], pipe)).toBe(`${JSON.stringify(json, null, 2)}\n`);
  });

  it.each([
    [['version', '-o', 'yaml']],
    [['version', '--instance', 'x']],
    [['version', 'extra']],
    [['version', '-o=json']],
    [['--version', 'version']],
    [['get']],
  ])('should leave %j to oclif', (args) => {
    expect(fastAnswer(args, pipe)).toBeUndefined();
  });

  it('should serve the rendered help of the root and of a command', () => {
    expect(fastAnswer([], pipe)).toBe('ROOT HELP\n');
    expect(fastAnswer(['--help'], pipe)).toBe('ROOT HELP\n');
    expect(fastAnswer(['svc', 'start', '--help'], pipe)).toBe('SVC START HELP\n');
  });

  it.each([
    ['a subject that was not rendered', ['svc', 'stop', '--help'], {}],
    ['a flag besides --help', ['svc', 'start', '--instance', 'x', '--help'], {}],
    ['--help not last', ['svc', 'start', '--help', '--instance', 'x'], {}],
    ['stdout a terminal (bold, its own width)', ['--help'], { stdoutIsTerminal: true }],
    ['OCLIF_COLUMNS set', ['--help'], { env: { OCLIF_COLUMNS: '120' } }],
    ['FORCE_COLOR set', ['--help'], { env: { FORCE_COLOR: '1' } }],
    ['RDD_NO_FAST_PATH set', ['--help'], { env: { RDD_NO_FAST_PATH: '1' } }],
  ])('should leave the help to oclif with %s', (_what, args, change: Partial<Surroundings>) => {
    expect(fastAnswer(['--help'], pipe)).toBe('ROOT HELP\n');
    expect(fastAnswer(args, { ...pipe, ...change })).toBeUndefined();
  });

  it('should leave the help to oclif once the manifest changed after the texts were rendered', () => {
    expect(fastAnswer(['--help'], pipe)).toBe('ROOT HELP\n');
    fs.writeFileSync(path.join(root, 'oclif.manifest.json'), '{"commands":{"new":{}}}');
    expect(fastAnswer(['--help'], pipe)).toBeUndefined();
  });

  it('should leave everything to oclif when RDD_NO_FAST_PATH is set', () => {
    expect(fastAnswer(['version'], { ...pipe, env: { RDD_NO_FAST_PATH: '1' } })).toBeUndefined();
  });
});
