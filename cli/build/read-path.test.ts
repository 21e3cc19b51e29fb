/**
 * The CLI's read commands load no zod and no protocol schema (client/README.md): the daemon validates,
 * the CLI is its client. Each command is bundled from source as cli/build/bundle.ts bundles it (esbuild,
 * CommonJS, dynamic imports left lazy), with a probe in every zod module and every protocol schema
 * module that records it when it is evaluated; then a fresh node loads the command's module, as oclif
 * does before running it, and says what was evaluated. A command that needs schemas is the control:
 * the probe must see them there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(__dirname, '..', '..');

/** What the probe watches: zod itself, and every protocol module that builds schemas as it loads. */
const watched =
  /(node_modules[\\/]zod[\\/].*\.c?js|protocol[\\/].*\.schema\.ts|protocol[\\/](errors|credentials)\.ts)$/;

/** Prepends a line to each watched module that records its path once the module body runs. */
const evaluationProbe: Plugin = {
  name: 'evaluation-probe',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: watched }, (args) => ({
      contents: `(globalThis.evaluated ??= []).push(${JSON.stringify(path.relative(root, args.path))});\n${fs.readFileSync(args.path, 'utf8')}`,
      loader: args.path.endsWith('.ts') ? 'ts' : 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

const commands = { get: 'cli/commands/get.ts', 'ctl get': 'cli/commands/ctl/get.ts', set: 'cli/commands/set.ts' };
const control = { 'ctl apply': 'cli/commands/ctl/apply.ts' };

let dir: string;
let bundleFile: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-read-path-'));
  bundleFile = path.join(dir, 'probe-bundle.js');
  const entries = { ...commands, ...control };
  const lines = Object.entries(entries).map(
    ([name, file]) => `${JSON.stringify(name)}: () => require(${JSON.stringify(path.join(root, file))}),`,
  );
  await build({
    stdin: { contents: `exports.load = {\n${lines.join('\n')}\n};`, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: bundleFile,
    logLevel: 'error',
    external: ['dockerode', 'typescript', 'ts-node'],
    plugins: [evaluationProbe],
  });
}, 60_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The watched modules a fresh node evaluates when it loads `command`'s module from the bundle. */
function evaluatedBy(command: string): string[] {
  const script = `require(${JSON.stringify(bundleFile)}).load[${JSON.stringify(command)}](); process.stdout.write(JSON.stringify(globalThis.evaluated ?? []));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
}

describe('the read path', () => {
  it('should evaluate zod and the schemas for a command that needs them (the probe sees them)', () => {
    const evaluated = evaluatedBy('ctl apply');

    expect(evaluated.some((file) => file.includes('node_modules/zod/'))).toBe(true);
    expect(evaluated.some((file) => /^protocol\/.*\.schema\.ts$/.test(file))).toBe(true);
  });

  it.each(Object.keys(commands))('should evaluate no zod and no protocol schema for rdd %s', (command) => {
    expect(evaluatedBy(command)).toEqual([]);
  });
});
