/**
 * Shell completion as a pure function: the words typed after `rdd` (the last one being completed)
 * become the candidates for that last word. Names that only the instance knows (its containers, …)
 * and the machine names on disk are not looked up here: the result says which to look up, and
 * `rdd __complete` adds them (see live-values.ts).
 */
import type { CompletionCommand, CompletionFlag, CompletionModel } from './model.js';

export interface Candidate {
  value: string;
  description?: string;
}

/** Values only the instance or the disk can give. */
export type LiveSource = { source: 'names'; kind: string } | { source: 'machines' };

export interface LiveLookup {
  source: LiveSource;
  /** Put before each value found: `container/` when completing `container/we`. */
  prefix: string;
  /** What of the value is typed already: only values starting with it are offered. */
  partial: string;
}

export interface Completion {
  candidates: Candidate[];
  live?: LiveLookup;
  /** The instance the words name with --instance, if they do. */
  instance?: string;
}

/** The words completion offers that are not commands or flags, from protocol/ (so never a copy). */
export interface Vocabulary {
  /** Every kind: its canonical word first, then the other words for it; `kind` is the CamelCase kind. */
  kinds: readonly { kind: string; aliases: readonly string[] }[];
  containerStates: readonly string[];
  containerActions: readonly string[];
  pathKeys: readonly string[];
}

/** How a command's positional arguments read, for the commands that have some worth completing. */
type ArgumentGrammar =
  'resources' | 'container-then-state' | 'container-then-action' | 'container' | 'machine' | 'path-key';

const argumentGrammars: Readonly<Record<string, ArgumentGrammar>> = {
  'ctl get': 'resources',
  'ctl describe': 'resources',
  'ctl delete': 'resources',
  'ctl wait': 'resources',
  'ctl state': 'container-then-state',
  'ctl action': 'container-then-action',
  'ctl annotate': 'container',
  'ctl patch': 'resources',
  'ctl logs': 'container',
  'machines export': 'machine',
  'svc paths': 'path-key',
};

/** Flags whose value is a kind (`rdd watch --kind`). */
const kindValuedFlags = new Set(['kind']);

const helpFlag: CompletionFlag = { name: 'help', takesValue: false, summary: 'Show help' };

interface Parsed {
  /** Command or topic words read so far. */
  path: string[];
  command?: CompletionCommand;
  positionals: string[];
  /** A flag waiting for its value: the word being completed is that value. */
  pendingFlag?: CompletionFlag;
  instance?: string;
}

export function complete(words: readonly string[], model: CompletionModel, vocabulary: Vocabulary): Completion {
  const current = words.at(-1) ?? '';
  const parsed = parseWords(words.slice(0, -1), model);
  if (parsed === undefined) return { candidates: [] };
  const withInstance = (completion: Completion): Completion =>
    parsed.instance === undefined ? completion : { ...completion, instance: parsed.instance };
  const flags = [...(parsed.command?.flags ?? globalFlags(model)), helpFlag];

  if (parsed.pendingFlag) return withInstance(flagValueCandidates(parsed.pendingFlag, '', current, vocabulary));
  if (current.startsWith('--') && current.includes('=')) {
    const name = current.slice(2, current.indexOf('='));
    const flag = flags.find((candidate) => candidate.name === name && candidate.takesValue);
    if (!flag) return withInstance({ candidates: [] });
    return withInstance(flagValueCandidates(flag, `--${name}=`, current.slice(name.length + 3), vocabulary));
  }
  if (current.startsWith('-')) return withInstance({ candidates: flagCandidates(flags, current) });
  if (!parsed.command) return withInstance({ candidates: subcommandCandidates(model, parsed.path, current) });
  return withInstance(argumentCandidates(parsed.command.id, parsed.positionals, current, vocabulary));
}

/**
 * Whether completing `words` needs the {@link Vocabulary} (kinds, states, path keys): only a command's
 * arguments and kind-valued flags do. Loading it costs the schemas, which a command word need not pay.
 */
export function needsVocabulary(words: readonly string[], model: CompletionModel): boolean {
  const current = words.at(-1) ?? '';
  const parsed = parseWords(words.slice(0, -1), model);
  if (!parsed?.command) return false;
  if (parsed.pendingFlag) return kindValuedFlags.has(parsed.pendingFlag.name);
  if (current.startsWith('-')) return [...kindValuedFlags].some((name) => current.startsWith(`--${name}=`));
  return argumentGrammars[parsed.command.id] !== undefined;
}

/** The flags every command takes (`--instance`, `--log-level`): the ones before a command is named. */
export function globalFlags(model: CompletionModel): CompletionFlag[] {
  const [first, ...others] = model.commands;
  if (!first) return [];
  return first.flags.filter((flag) => others.every((command) => command.flags.some(({ name }) => name === flag.name)));
}

function findFlag(word: string, flags: readonly CompletionFlag[]): CompletionFlag | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0];
    return flags.find((flag) => flag.name === name || `no-${flag.name}` === name);
  }
  return flags.find((flag) => flag.char !== undefined && flag.char === word[1]);
}

/** A topic has commands under it (oclif's topic list names every command too). */
function isTopic(model: CompletionModel, id: string): boolean {
  return model.commands.some((command) => command.id.startsWith(`${id} `));
}

/** Reads the finished words; undefined when they name no command (nothing sensible to offer). */
function parseWords(done: readonly string[], model: CompletionModel): Parsed | undefined {
  const parsed: Parsed = { path: [], positionals: [] };
  let afterDoubleDash = false;
  let sawHelp = false;
  for (const word of done) {
    if (parsed.pendingFlag) {
      if (parsed.pendingFlag.name === 'instance') parsed.instance = word;
      delete parsed.pendingFlag;
      continue;
    }
    if (word === '--') {
      afterDoubleDash = true;
      continue;
    }
    if (!afterDoubleDash && word.startsWith('-') && word !== '-') {
      // Before the command is known, a flag is read as any command's (`rdd ctl -o json get`).
      const known = parsed.command?.flags ?? model.commands.flatMap((command) => command.flags);
      const flag = findFlag(word, [...known, helpFlag]);
      // `--output=json` and `-ojson` carry their value; `--output json` leaves it to the next word.
      const valueAttached = word.includes('=') || (!word.startsWith('--') && word.length > 2);
      if (flag?.takesValue && !valueAttached) parsed.pendingFlag = flag;
      if (flag?.name === 'instance' && word.startsWith('--instance='))
        parsed.instance = word.slice('--instance='.length);
      continue;
    }
    if (parsed.command) {
      parsed.positionals.push(word);
      continue;
    }
    if (parsed.path.length === 0 && word === 'help' && !sawHelp) {
      sawHelp = true;
      continue;
    }
    const id = [...parsed.path, word].join(' ');
    const command = model.commands.find((candidate) => candidate.id === id);
    if (!command && !isTopic(model, id)) return undefined;
    parsed.path.push(word);
    if (command && !isTopic(model, id)) {
      // `rdd help ctl get` names a command to show help for; nothing follows it.
      if (sawHelp) return undefined;
      parsed.command = command;
    }
  }
  return parsed;
}

function startingWith(candidates: readonly Candidate[], prefix: string): Candidate[] {
  return candidates.filter(({ value }) => value.startsWith(prefix));
}

function flagCandidates(flags: readonly CompletionFlag[], current: string): Candidate[] {
  const forms = flags.flatMap((flag) => [
    { value: `--${flag.name}`, description: flag.summary },
    ...(flag.char ? [{ value: `-${flag.char}`, description: flag.summary }] : []),
  ]);
  return startingWith(forms, current);
}

function flagValueCandidates(
  flag: CompletionFlag,
  prefix: string,
  partial: string,
  vocabulary: Vocabulary,
): Completion {
  const values = kindValuedFlags.has(flag.name) ? vocabulary.kinds.map(({ aliases }) => aliases[0] ?? '') : flag.values;
  const candidates = (values ?? []).map((value) => ({ value: `${prefix}${value}` }));
  return { candidates: startingWith(candidates, `${prefix}${partial}`) };
}

function subcommandCandidates(model: CompletionModel, path: readonly string[], current: string): Candidate[] {
  const depth = path.length;
  const under = path.length === 0 ? '' : `${path.join(' ')} `;
  const next = new Map<string, string>();
  for (const command of model.commands) {
    if (!command.id.startsWith(under)) continue;
    const word = command.id.split(' ')[depth];
    if (word === undefined || next.has(word)) continue;
    const id = `${under}${word}`;
    next.set(word, command.id === id ? command.summary : (model.topics.get(id) ?? ''));
  }
  return startingWith(
    [...next].map(([value, description]) => ({ value, description })),
    current,
  );
}

function argumentCandidates(
  commandId: string,
  positionals: readonly string[],
  current: string,
  vocabulary: Vocabulary,
): Completion {
  const grammar = argumentGrammars[commandId];
  const listed = (values: readonly string[]): Completion => ({
    candidates: startingWith(
      values.map((value) => ({ value })),
      current,
    ),
  });
  switch (grammar) {
    case undefined:
      return { candidates: [] };
    case 'machine':
      return positionals.length === 0
        ? { candidates: [], live: { source: { source: 'machines' }, prefix: '', partial: current } }
        : { candidates: [] };
    case 'path-key':
      return positionals.length === 0 ? listed(vocabulary.pathKeys) : { candidates: [] };
    case 'resources':
      return resourceCandidates(positionals, current, vocabulary);
    default: {
      const onlyContainers = vocabulary.kinds.filter(({ kind }) => kind === 'Container');
      const [first, second] = positionals;
      const targetDone = (first?.includes('/') ?? false) || second !== undefined;
      if (!targetDone) return resourceCandidates(positionals, current, { ...vocabulary, kinds: onlyContainers });
      const last = positionals.length === (first?.includes('/') ? 1 : 2);
      if (!last) return { candidates: [] };
      if (grammar === 'container-then-state') return listed(vocabulary.containerStates);
      if (grammar === 'container-then-action') return listed(vocabulary.containerActions);
      return { candidates: [] };
    }
  }
}

/** `KIND NAME…` or `KIND/NAME…`: a kind first, then names of it. */
function resourceCandidates(positionals: readonly string[], current: string, vocabulary: Vocabulary): Completion {
  const kindOf = (word: string): string | undefined =>
    vocabulary.kinds.find(({ aliases }) => aliases.includes(word.toLowerCase()))?.kind;
  const kindWords = (suffix: string): Candidate[] =>
    startingWith(
      vocabulary.kinds.map(({ kind, aliases }) => ({ value: `${aliases[0] ?? ''}${suffix}`, description: kind })),
      current,
    );
  const slashed = (): Completion => {
    const slash = current.indexOf('/');
    const kind = kindOf(current.slice(0, slash));
    if (kind === undefined) return { candidates: [] };
    return {
      candidates: [],
      live: {
        source: { source: 'names', kind },
        prefix: current.slice(0, slash + 1),
        partial: current.slice(slash + 1),
      },
    };
  };
  const [first] = positionals;
  if (first === undefined) return current.includes('/') ? slashed() : { candidates: kindWords('') };
  if (first.includes('/')) return current.includes('/') ? slashed() : { candidates: kindWords('/') };
  const kind = kindOf(first);
  if (kind === undefined) return { candidates: [] };
  return { candidates: [], live: { source: { source: 'names', kind }, prefix: '', partial: current } };
}
