/**
 * Build step after tsc: bundles the CLI (every command under dist/cli/commands, the command_not_found
 * hook, oclif, the NATS client) into one CommonJS file, dist/cli/rdd-cli.js, with a source map, then
 * writes its V8 code cache (cli/build/load-bundle.ts). One file instead of ~320 resolved and read one by
 * one, compiled from the cache instead of from source.
 *
 * zod is a bundle of its own, dist/cli/rdd-zod.js with its own cache, loaded when a protocol schema
 * module first requires it: the read commands never do (client/README.md), and every command reads and
 * deserializes the whole of its bundle and cache, so zod's third of them is paid only by the commands
 * that validate.
 *
 * The command index is written here from the compiled command files, so a command added later is in
 * the next build without a list to keep. Each entry is a getter: oclif, reading the manifest, asks only
 * for the command it runs, and only that command's modules run.
 *
 * The daemon is not in the bundle: it runs as bin/rdd-daemon from the tsc output, and no CLI module
 * imports actors/ (xstate and winston never load in a CLI command).
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import type * as Zod from 'zod';
import { bundlePath, codeCachePath, loadBundle } from './load-bundle.js';

const distCli = path.resolve(__dirname, '..');

/** Every compiled command file under dist/cli/commands, as oclif's ids (`ctl:get`) to their paths. */
function commandFiles(): Map<string, string> {
  const commandsDir = path.join(distCli, 'commands');
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(commandsDir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!entry.endsWith('.js')) continue;
    const id = entry.slice(0, -'.js'.length).split(path.sep).join(':');
    files.set(id.endsWith(':index') ? id.slice(0, -':index'.length) : id, path.join(commandsDir, entry));
  }
  return files;
}

/** The bundle's entry: oclif's runner, the command index (package.json oclif.commands) and the hook. */
function entrySource(commands: Map<string, string>): string {
  const lines = [
    `exports.main = require(${JSON.stringify(path.join(distCli, 'build', 'cli-main.js'))}).main;`,
    `exports.commandNotFound = require(${JSON.stringify(path.join(distCli, 'hooks', 'command-not-found.js'))}).default;`,
    'const commands = {};',
  ];
  for (const [id, file] of commands)
    lines.push(
      `Object.defineProperty(commands, ${JSON.stringify(id)}, { enumerable: true, get: () => require(${JSON.stringify(file)}).default });`,
    );
  lines.push('exports.COMMANDS = commands;');
  return lines.join('\n');
}

/** The bundled packages whose module bodies run only when first used: what they cost, by whom. */
const loadedOnFirstUse = [
  // tweetnacl builds its tables as it loads (6 ms of every command); the NATS client needs it only
  // for nkey or JWT credentials, which rdd's user/password bus never uses.
  'tweetnacl',
];

/**
 * Bundles each of {@link loadedOnFirstUse} behind a proxy that requires it on its first property read.
 * `__esModule` is answered without loading, so TypeScript's `__importDefault` wrapping it loads nothing.
 */
function loadOnFirstUse(packages: readonly string[]): Plugin {
  const real = '?rdd-real';
  return {
    name: 'load-on-first-use',
    setup(pluginBuild) {
      const filter = new RegExp(
        `^(${packages.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(\\?rdd-real)?$`,
      );
      pluginBuild.onResolve({ filter }, async (args) => {
        // The real package, as esbuild would resolve it without this plugin.
        if ((args.pluginData as { real?: boolean } | undefined)?.real) return undefined;
        if (!args.path.endsWith(real)) return { path: args.path, namespace: 'load-on-first-use' };
        const { path: resolved, errors } = await pluginBuild.resolve(args.path.slice(0, -real.length), {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: { real: true },
        });
        return errors.length > 0 ? { errors } : { path: resolved };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: 'load-on-first-use' }, (args) => ({
        resolveDir: distCli,
        loader: 'js',
        contents: [
          'let loaded;',
          `const load = () => (loaded ??= require(${JSON.stringify(args.path + real)}));`,
          'module.exports = new Proxy({}, {',
          "  get: (_, key) => (key === '__esModule' ? undefined : load()[key]),",
          '  has: (_, key) => key in load(),',
          '  ownKeys: () => Reflect.ownKeys(load()),',
          '  getOwnPropertyDescriptor: (_, key) => Object.getOwnPropertyDescriptor(load(), key),',
          '});',
        ].join('\n'),
      }));
    },
  };
}

/** The packages bundled apart, each loaded (with its code cache) on first require: file names in dist/cli. */
const ownBundles: Readonly<Record<string, string>> = { zod: 'rdd-zod.js' };

/** Resolves each of {@link ownBundles} to a module that loads its bundle from beside the CLI's. */
function fromOwnBundle(bundles: Readonly<Record<string, string>>): Plugin {
  const names = Object.keys(bundles);
  return {
    name: 'from-own-bundle',
    setup(pluginBuild) {
      const filter = new RegExp(`^(${names.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
      pluginBuild.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'from-own-bundle' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'from-own-bundle' }, (args) => ({
        resolveDir: distCli,
        loader: 'js',
        contents: [
          `const { loadBundle } = require(${JSON.stringify(path.join(distCli, 'build', 'load-bundle.js'))});`,
          `module.exports = loadBundle(require('node:path').join(__dirname, ${JSON.stringify(bundles[args.path])})).exports;`,
        ].join('\n'),
      }));
    },
  };
}

/** What every bundle is built with. */
const commonOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // Minified: every command reads the whole source before it runs (V8 needs it beside the code cache),
  // so each byte costs start-up (2.1 MB unminified identifiers, 1.6 MB minified). `.name` is kept for
  // the classes and functions that read it, and the source map maps the rest back to the TypeScript
  // under `node --enable-source-maps`.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  keepNames: true,
  // ASCII: strings are escaped by esbuild; regular expressions are escaped by escapeNonAscii.
  charset: 'ascii',
  logLevel: 'error',
} as const;

/**
 * Bundles `name` alone into dist/cli/`file` and writes its code cache, with the functions a schema
 * module calls as it loads compiled in it (an object of strings, enums, arrays and optional fields,
 * extended and described, then parsed).
 */
async function bundlePackageApart(name: string, file: string): Promise<number> {
  const bundleFile = path.join(distCli, file);
  await build({
    ...commonOptions,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: distCli, loader: 'js' },
    outfile: bundleFile,
  });
  escapeNonAscii(bundleFile);
  return writeCodeCache(bundleFile, (exports) => {
    if (name !== 'zod') return;
    const { z } = exports as typeof Zod;
    const schema = z
      .object({ name: z.string().regex(/^a/).describe('a name'), kind: z.enum(['A', 'B']), n: z.number().int() })
      .extend({ items: z.array(z.record(z.string(), z.unknown())).optional() })
      .strict();
    void schema.safeParse({ name: 'b', kind: 'C', n: 1.5, items: [{}] });
    void z.union([schema, z.literal(true)]).safeParse(true);
  });
}

/**
 * Makes the bundle pure ASCII, so it is read as latin1 into a one-byte string (half the time of UTF-8
 * into a two-byte one: cli/build/load-bundle.ts). esbuild escapes strings but leaves regular expression
 * literals as written (`/µs/`, ansi-regex's `\u009b` class); `\uXXXX` means the same there, in both u
 * and non-u mode. Comments are gone (minified), so nothing else can hold such a character; the source
 * map's columns shift by five per escaped character on those few lines.
 */
function escapeNonAscii(bundleFile: string): void {
  const source = fs.readFileSync(bundleFile, 'utf8');
  const escaped = source.replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (escaped !== source) fs.writeFileSync(bundleFile, escaped);
}

/**
 * Runs the bundle, then `exercise` on its exports (every command's modules, for the CLI's), then asks V8
 * for the code it compiled: the cache then holds the module bodies and the functions they ran, not only
 * the top level.
 */
function writeCodeCache(bundleFile: string, exercise: (exports: unknown) => void): number {
  const { exports, script } = loadBundle(bundleFile, false);
  exercise(exports);
  if (!script) throw new Error('the code cache is written only without --enable-source-maps');
  const data = script.createCachedData();
  fs.writeFileSync(codeCachePath(bundleFile), data);
  return data.length;
}

async function main(): Promise<void> {
  const bundleFile = bundlePath(distCli);
  const commands = commandFiles();
  // First: the CLI's cache is written by running every command, which loads these bundles.
  const apart = [];
  for (const [name, file] of Object.entries(ownBundles))
    apart.push(`${file} (code cache ${await bundlePackageApart(name, file)} bytes)`);
  await build({
    ...commonOptions,
    stdin: { contents: entrySource(commands), resolveDir: distCli, sourcefile: 'rdd-cli-entry.js', loader: 'js' },
    outfile: bundleFile,
    // dockerode (only `svc delete` uses it) brings native addons esbuild cannot bundle: it stays a
    // require from node_modules, paid by that command alone. typescript and ts-node are oclif's, for
    // plugins written in TypeScript, which rdd has none of.
    external: ['dockerode', 'typescript', 'ts-node'],
    plugins: [loadOnFirstUse(loadedOnFirstUse), fromOwnBundle(ownBundles)],
  });
  escapeNonAscii(bundleFile);
  const cacheBytes = writeCodeCache(bundleFile, (exports) => {
    for (const command of Object.values((exports as { COMMANDS: Record<string, unknown> }).COMMANDS)) void command;
  });
  process.stdout.write(
    `bundled ${commands.size} commands into ${path.relative(process.cwd(), bundleFile)} (code cache ${cacheBytes} bytes), ` +
      `${apart.join(', ')} beside it\n`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`failed to bundle the CLI: ${String(error)}\n`);
  process.exit(1);
});
