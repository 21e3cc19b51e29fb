import { RddCommand } from '../base-command.js';
import { complete, needsVocabulary, type Vocabulary } from '../completion/candidates.js';
import { liveValues } from '../completion/live-values.js';
import { completionModel } from '../completion/model.js';

/**
 * What the completion scripts call on each TAB: `rdd __complete -- WORD…` prints the candidates for the
 * last word, one `value<TAB>description` a line. It fails silently: a shell must never show an error or
 * wait for a daemon to start because someone pressed TAB.
 */
export default class Complete extends RddCommand {
  static override hidden = true;
  static override strict = false;
  static override description = 'Print the completion candidates for the words after --, the last one being completed.';
  static override usage = ['__complete -- [WORD…]'];
  static override examples = [
    { description: 'The kinds a ctl get can take', command: '<%= config.bin %> __complete -- ctl get ""' },
  ];

  async run(): Promise<void> {
    await this.parse(Complete);
    const separator = this.argv.indexOf('--');
    const words = separator === -1 ? this.argv : this.argv.slice(separator + 1);
    const typed = words.length === 0 ? [''] : words;
    const model = completionModel(this.config.commands, this.config.topics);
    const completion = complete(typed, model, needsVocabulary(typed, model) ? await vocabulary() : noVocabulary);
    const lines = completion.candidates.map(({ value, description }) =>
      description ? `${value}\t${description}` : value,
    );
    if (completion.live) {
      const context = this.instanceContext(completion.instance === undefined ? {} : { instance: completion.instance });
      lines.push(...(await liveValues(completion.live, context)));
    }
    if (lines.length > 0) this.print(`${lines.join('\n')}\n`);
  }

  protected override catch(): Promise<void> {
    return Promise.resolve();
  }
}

const noVocabulary: Vocabulary = { kinds: [], containerStates: [], containerActions: [], pathKeys: [] };

/** Loaded only when the words need it (see needsVocabulary): the kinds come with their schemas. */
async function vocabulary(): Promise<Vocabulary> {
  const [{ kindInfos }, { containerActions, containerDesiredStates }, { pathKeys }] = await Promise.all([
    import('../../protocol/mirrors/kinds.js'),
    import('../../protocol/mirrors/container.schema.js'),
    import('../../protocol/instance.js'),
  ]);
  return { kinds: kindInfos, containerStates: containerDesiredStates, containerActions, pathKeys };
}
