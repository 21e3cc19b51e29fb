import { rddVersion } from '../../host/version.js';
import { RddCommand } from '../base-command.js';
import { outputFlag } from '../flags.js';
import { renderResult } from '../output.js';

export default class Version extends RddCommand {
  static override description = 'Print the version of rdd, and of the Node.js it runs on.';
  static override examples = [
    { description: 'The version of rdd and of its Node.js', command: '<%= config.bin %> version' },
    { description: 'The same as JSON', command: '<%= config.bin %> version -o json' },
  ];
  static override flags = { output: outputFlag(['text', 'json', 'yaml'] as const, 'text') };

  async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    const info = { version: rddVersion(), node: process.version, platform: `${process.platform}-${process.arch}` };
    this.print(
      flags.output === 'text'
        ? `rdd ${info.version} (node ${info.node}, ${info.platform})\n`
        : renderResult(info, flags.output),
    );
  }
}
