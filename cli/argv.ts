/**
 * Where `rdd run`'s own arguments end and the command it runs begins: at the first argument that is
 * not one of rdd's global flags (or right after `--`). Everything from there on is the command's, even
 * `-a` or `--help`. oclif cannot stop parsing flags at the first argument, so the command splits its
 * argv itself, and `bin/rdd` marks the split with `--` before oclif sees it: oclif shows rdd's help for
 * any `--help` before a `--`, and `rdd run docker --help` must print docker's help.
 */

/** rdd's global flags that take a value as the next argument (`--instance x`). */
const flagsWithValue = new Set(['--instance', '--log-level']);

export interface RunArgv {
  /** rdd's own flags: `--instance x`, `--log-level=debug`, `--help`. */
  own: string[];
  /** The command and its arguments, untouched; empty when none was given. */
  command: string[];
}

export function splitRunArgv(argv: readonly string[]): RunArgv {
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] ?? '';
    if (token === '--') return { own: argv.slice(0, index), command: argv.slice(index + 1) };
    if (!token.startsWith('-') || token === '-') return { own: argv.slice(0, index), command: argv.slice(index) };
    if (flagsWithValue.has(token)) index++;
  }
  return { own: [...argv], command: [] };
}

/**
 * The argv oclif should see for `rdd …`: for `rdd run` with a command, rdd's flags, then `--`, then the
 * command; any other argv as it is.
 */
export function protectRunCommand(argv: readonly string[]): string[] {
  if (argv[0] !== 'run') return [...argv];
  const { own, command } = splitRunArgv(argv.slice(1));
  return command.length === 0 ? [...argv] : ['run', ...own, '--', ...command];
}
