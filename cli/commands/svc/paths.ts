import { Args } from '@oclif/core';
import { pathKeys, type PathKey } from '../../../protocol/instance.js';
import { RddCommand } from '../../base-command.js';
import { UsageError } from '../../exit-codes.js';
import { outputFlag } from '../../flags.js';
import { renderResult, renderShell, renderTable } from '../../output.js';

export default class SvcPaths extends RddCommand {
  static override args = {
    key: Args.string({ description: `One path to print: ${pathKeys.join(', ')}`, required: false }),
  };
  static override description =
    'Print where an instance keeps its data, logs, sockets and credentials. Computed, not created: works before the daemon ever ran.';
  static override summary = 'Print where an instance keeps its data, logs, sockets and credentials.';
  static override examples = [
    { description: 'Every path of the instance', command: '<%= config.bin %> svc paths' },
    { description: "Only the engine's docker socket", command: '<%= config.bin %> svc paths docker_socket' },
    {
      description: 'The paths as shell variables',
      command: 'eval "$(<%= config.bin %> svc paths -o shell)"; echo "$RDD_LOG_DIR"',
    },
  ];
  static override flags = { output: outputFlag(['table', 'json', 'yaml', 'shell'] as const, 'table') };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SvcPaths);
    const { paths } = this.instanceContext(flags);
    if (args.key !== undefined && !(pathKeys as readonly string[]).includes(args.key)) {
      throw new UsageError(`unknown key ${JSON.stringify(args.key)}; valid keys: ${pathKeys.join(', ')}`);
    }
    const keys: readonly PathKey[] = args.key === undefined ? pathKeys : [args.key as PathKey];
    const selected = Object.fromEntries(keys.map((key) => [key, paths[key]]));
    if (flags.output === 'json' || flags.output === 'yaml')
      return this.print(renderResult(args.key === undefined ? selected : paths[keys[0] as PathKey], flags.output));
    if (flags.output === 'shell') return this.print(renderShell(selected));
    if (args.key !== undefined) return this.print(`${paths[keys[0] as PathKey]}\n`);
    this.print(renderTable(['KEY', 'PATH'], Object.entries(selected)));
  }
}
