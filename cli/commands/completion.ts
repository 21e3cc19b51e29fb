import { Args } from '@oclif/core';
import { RddCommand } from '../base-command.js';
import { completionScript, completionShells } from '../completion/scripts.js';

export default class Completion extends RddCommand {
  static override args = {
    shell: Args.string({ description: 'The shell to print the script for', options: completionShells, required: true }),
  };
  static override summary = 'Print the shell completion script for bash or zsh.';
  static override description =
    "It completes commands and topics, each command's flags, the values of -o and other flags with a fixed list, " +
    'kinds (container, image, …) after the ctl verbs, and the names the instance holds (containers, images, …) ' +
    'when its daemon runs. Completion never starts a daemon: with none running it offers no names.\n\n' +
    'bash: load it in the current shell with source <(rdd completion bash); for every new shell, add that line to ' +
    '~/.bashrc, or save the script as ~/.local/share/bash-completion/completions/rdd (needs bash-completion).\n\n' +
    'zsh: load it in the current shell with source <(rdd completion zsh) (after compinit); for every new shell, ' +
    'save it as _rdd in a directory of $fpath, e.g. ~/.zsh/completions/_rdd with fpath=(~/.zsh/completions $fpath) ' +
    'before compinit in ~/.zshrc.';
  static override examples = [
    { description: 'Complete rdd in the current bash', command: 'source <(<%= config.bin %> completion bash)' },
    {
      description: 'Complete rdd in every new bash',
      command:
        'mkdir -p ~/.local/share/bash-completion/completions && <%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/rdd',
    },
    { description: 'Complete rdd in the current zsh', command: 'source <(<%= config.bin %> completion zsh)' },
    {
      description: 'Complete rdd in every new zsh (with fpath=(~/.zsh/completions $fpath) before compinit)',
      command: 'mkdir -p ~/.zsh/completions && <%= config.bin %> completion zsh > ~/.zsh/completions/_rdd',
    },
  ];

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    this.print(completionScript(args.shell as (typeof completionShells)[number], this.config.bin));
  }
}
