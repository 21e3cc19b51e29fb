/**
 * Answers that need neither oclif nor any command's imports, so they cost little more than node itself
 * (issue 13: `rdd version` and `rdd --help` within 1.5× `node -e 0`). bin/rdd asks {@link fastAnswer}
 * first and hands everything else to oclif. Imports node built-ins only: anything more would be paid by
 * every invocation.
 *
 * - `rdd version [-o text|json]` (and `rdd --version`, which cli/argv.ts turns into it): printed here
 *   exactly as the Version command prints them.
 * - `--help` of the root, a topic or a command: the text the build rendered through oclif's own Help
 *   class (cli/write-help.ts), served only where oclif would render the same bytes: stdout not a
 *   terminal (no bold, 80 columns) and neither OCLIF_COLUMNS nor FORCE_COLOR set. A test compares each
 *   served text with oclif's live rendering (RDD_NO_FAST_PATH=1 turns this module off).
 */
import fs from 'node:fs';
import path from 'node:path';

/** What the build writes beside the compiled CLI: every help text, keyed by the words before `--help`. */
export interface RenderedHelp {
  /** Size of oclif.manifest.json when the texts were rendered: a different manifest means they may be stale. */
  readonly manifestSize: number;
  readonly texts: Readonly<Record<string, string>>;
}

export const renderedHelpFile = 'help.json';

/** The package root: bin/, dist/ and package.json, from dist/cli/ or from cli/ under jest. */
function packageRoot(): string {
  return path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
}

function readPackage(root: string): { name: string; version: string } | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    return typeof pkg.name === 'string' && typeof pkg.version === 'string'
      ? { name: pkg.name, version: pkg.version }
      : undefined;
  } catch {
    return undefined;
  }
}

function versionAnswer(args: readonly string[], root: string): string | undefined {
  const pkg = readPackage(root);
  if (!pkg) return undefined;
  // `--version` arrives here as `version` (cli/argv.ts): one format for both.
  if (args[0] !== 'version') return undefined;
  const output = outputOf(args.slice(1));
  const info = { version: pkg.version, node: process.version, platform: `${process.platform}-${process.arch}` };
  if (output === 'text') return `rdd ${info.version} (node ${info.node}, ${info.platform})\n`;
  if (output === 'json') return `${JSON.stringify(info, null, 2)}\n`;
  return undefined;
}

/** The `-o` of `version`'s remaining argv, or undefined for anything else (oclif then says what is wrong). */
function outputOf(flags: readonly string[]): string | undefined {
  if (flags.length === 0) return 'text';
  if (flags.length === 2 && (flags[0] === '-o' || flags[0] === '--output')) return flags[1];
  if (flags.length === 1) return /^--output=(.+)$/.exec(flags[0] ?? '')?.[1];
  return undefined;
}

function helpAnswer(args: readonly string[], { root, env, stdoutIsTerminal }: Surroundings): string | undefined {
  const words = args.length === 0 ? [] : args.at(-1) === '--help' ? args.slice(0, -1) : undefined;
  if (!words || words.some((word) => word.startsWith('-'))) return undefined;
  if (stdoutIsTerminal || env.OCLIF_COLUMNS || env.FORCE_COLOR) return undefined;
  try {
    const rendered = JSON.parse(
      fs.readFileSync(path.join(root, 'dist', 'cli', renderedHelpFile), 'utf8'),
    ) as RenderedHelp;
    if (fs.statSync(path.join(root, 'oclif.manifest.json')).size !== rendered.manifestSize) return undefined;
    return Object.hasOwn(rendered.texts, words.join(' ')) ? rendered.texts[words.join(' ')] : undefined;
  } catch {
    return undefined;
  }
}

/** What oclif's output depends on besides the argv. */
export interface Surroundings {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdoutIsTerminal: boolean;
}

/**
 * What to print for `args` (as normalizeArgv left them) without loading oclif, or undefined when oclif
 * must answer: anything this module is not sure to answer exactly as oclif would.
 */
export function fastAnswer(
  args: readonly string[],
  surroundings: Surroundings = {
    root: packageRoot(),
    env: process.env,
    stdoutIsTerminal: Boolean(process.stdout.isTTY),
  },
): string | undefined {
  if (surroundings.env.RDD_NO_FAST_PATH) return undefined;
  return versionAnswer(args, surroundings.root) ?? helpAnswer(args, surroundings);
}
