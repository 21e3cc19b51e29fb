/**
 * The argv oclif sees, made to read as a user means it (bin/rdd runs every invocation through
 * {@link normalizeArgv}): rdd's global flags anywhere before the command's own arguments
 * (`rdd --instance x svc start`, `rdd svc --instance x status`), `-h` for `--help`, and
 * `rdd help TOPIC COMMAND`. oclif takes flags only after the whole command id.
 *
 * Flags before a command or between a topic and its command (`rdd -o json get`, `rdd ctl -n ns get
 * containers`) move to just after the command, as kubectl reads them; which words are topics and
 * commands comes from the oclif manifest, read only when such a flag is there. `rdd --version` is `rdd version`: one format.
 *
 * Where `rdd run`'s own arguments end and the command it runs begins: at the first argument that is
 * not one of rdd's global flags (or right after `--`). Everything from there on is the command's, even
 * `-a` or `--help`. oclif cannot stop parsing flags at the first argument, so the command splits its
 * argv itself, and `bin/rdd` marks the split with `--` before oclif sees it: oclif shows rdd's help for
 * any `--help` before a `--`, and `rdd run docker --help` must print docker's help.
 */

import fs from 'node:fs';
import path from 'node:path';

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

/** rdd's global flags out of `tokens` (with their values), and what is left, in order. */
function takeGlobalFlags(tokens: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  const rest: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? '';
    if (flagsWithValue.has(token)) {
      globals.push(token, ...tokens.slice(index + 1, index + 2));
      index++;
    } else if ([...flagsWithValue].some((flag) => token.startsWith(`${flag}=`))) globals.push(token);
    else rest.push(token);
  }
  return { globals, rest };
}

/** Every command id (`ctl:get`) of the built CLI, from oclif.manifest.json; empty when there is none. */
export function manifestCommandIds(): string[] {
  const root = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'oclif.manifest.json'), 'utf8')) as {
      commands?: Record<string, unknown>;
    };
    return Object.keys(manifest.commands ?? {});
  } catch {
    return [];
  }
}

/**
 * `tokens` with the flags found before the command id (`rdd -o json get`) or between a topic and its
 * command (`rdd ctl -n ns get`) moved to just after the command. A word after a flag is the flag's value
 * unless it is a command or topic at that point. Left as they are when no command follows (`rdd ctl
 * --help`) or a word that is neither flag nor command comes first.
 */
function moveTopicFlags(tokens: readonly string[], commandIds: () => readonly string[]): string[] {
  const flagBeforeCommand = tokens[0]?.startsWith('-') || tokens[1]?.startsWith('-');
  if (tokens.length < 2 || !flagBeforeCommand) return [...tokens];
  const ids = new Set(commandIds());
  const isTopic = (words: readonly string[]): boolean => {
    const prefix = `${words.join(':')}:`;
    return [...ids].some((id) => id.startsWith(prefix));
  };
  const words: string[] = [];
  const moved: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const next = [...words, token];
    if (!token.startsWith('-')) {
      if (ids.has(next.join(':'))) return [...next, ...moved, ...tokens.slice(index + 1)];
      if (!isTopic(next)) return [...tokens];
      words.push(token);
      continue;
    }
    moved.push(token);
    const value = tokens[index + 1];
    const takesValue = !token.includes('=') && value !== undefined && !value.startsWith('-');
    if (takesValue && !ids.has([...words, value].join(':')) && !isTopic([...words, value])) {
      moved.push(value);
      index++;
    }
  }
  return [...tokens];
}

/** The argv for oclif: see the header. What comes after `--`, or after `rdd run`'s command, is left alone. */
export function normalizeArgv(
  argv: readonly string[],
  commandIds: () => readonly string[] = manifestCommandIds,
): string[] {
  let args = [...argv];
  // Everything after `rdd run CMD` is CMD's: only global flags before `run` move, to just after it.
  const { own: leading, command: afterLeading } = splitRunArgv(args);
  if (afterLeading[0] === 'run' && leading.every((token) => token !== '--'))
    return protectRunCommand(['run', ...leading, ...afterLeading.slice(1)]);
  if (args[0] === 'help') args = [...args.slice(1).filter((token) => token !== '--help'), '--help'];
  const end = args.indexOf('--');
  const head = end === -1 ? args : args.slice(0, end);
  const tail = end === -1 ? [] : args.slice(end);
  const { globals, rest: words } = takeGlobalFlags(head);
  const rest = moveTopicFlags(words[0] === '--version' ? ['version', ...words.slice(1)] : words, commandIds);
  return [...rest.map((token) => (token === '-h' ? '--help' : token)), ...globals, ...tail];
}
