/**
 * What shell completion knows about rdd's commands: their ids, flags and the values a flag takes,
 * taken from oclif's command list (the manifest) so that completion never drifts from the commands.
 */
import type { Command } from '@oclif/core';

export interface CompletionFlag {
  /** Without dashes: `output`. */
  name: string;
  /** The one-letter form, without the dash: `o`. */
  char?: string;
  /** A boolean flag takes no value. */
  takesValue: boolean;
  /** The values it takes, when they are a known list (`json`, `jsonpath=`: a trailing `=` expects more). */
  values?: readonly string[];
  summary: string;
}

export interface CompletionCommand {
  /** Words as typed: `ctl get`. */
  id: string;
  summary: string;
  flags: readonly CompletionFlag[];
}

export interface CompletionModel {
  commands: readonly CompletionCommand[];
  /** Topic ids as typed (`ctl`, `svc`) with their one-line descriptions. */
  topics: ReadonlyMap<string, string>;
}

/** The first sentence of a help text, for a candidate's description: a shell shows one short line. */
function firstLine(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0]?.trim() ?? '';
  const sentenceEnd = line.search(/\.\s+(?=[A-Z])/);
  return (sentenceEnd === -1 ? line : line.slice(0, sentenceEnd)).replace(/\.$/, '');
}

/**
 * The values a flag takes: its options, or for a free-form output flag the forms its description
 * lists after "Output format:" (`jsonpath=TEMPLATE` becomes `jsonpath=`, the rest to be typed).
 */
export function flagValues(flag: Command.Flag.Cached): readonly string[] | undefined {
  if (flag.type !== 'option') return undefined;
  if (flag.options && flag.options.length > 0) return flag.options;
  const listed = /^Output format: (.*)$/.exec(flag.description ?? '')?.[1];
  if (!listed) return undefined;
  return listed.split(', ').map((form) => (form.includes('=') ? `${form.slice(0, form.indexOf('='))}=` : form));
}

/** The completion model of a loaded oclif config's commands (hidden ones left out). */
export function completionModel(
  commands: readonly Command.Loadable[],
  topics: readonly { name: string; description?: string; hidden?: boolean }[],
): CompletionModel {
  return {
    commands: commands
      .filter((command) => !command.hidden)
      .map((command) => ({
        id: command.id.replaceAll(':', ' '),
        summary: firstLine(command.summary ?? command.description),
        flags: Object.values(command.flags)
          .filter((flag) => !flag.hidden)
          .map((flag) => {
            const values = flagValues(flag);
            return {
              name: flag.name,
              ...(flag.char ? { char: flag.char } : {}),
              takesValue: flag.type === 'option',
              ...(values ? { values } : {}),
              summary: firstLine(flag.summary ?? flag.description),
            };
          }),
      })),
    topics: new Map(
      topics
        .filter((topic) => !topic.hidden)
        .map((topic) => [topic.name.replaceAll(':', ' '), firstLine(topic.description)]),
    ),
  };
}
