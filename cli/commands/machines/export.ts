import { Args, Flags } from '@oclif/core';
import { ApiError } from '../../../protocol/api-error.js';
import { machineFormats, renderMachine } from '../../../protocol/statechart/docs.js';
import { machineDocsDir, readMachineDefinitions } from '../../../host/statechart-docs.js';
import { RddCommand } from '../../base-command.js';

export default class MachinesExport extends RddCommand {
  static override args = {
    name: Args.string({ description: 'The machine, as `rdd machines list` names it', required: true }),
  };
  static override description =
    'Print a state machine as its XState JSON definition (to open in the Stately visualizer: see docs/machines/README.md), as a mermaid stateDiagram-v2, or as a Graphviz digraph.';
  static override summary = 'Print a state machine as XState JSON, mermaid or Graphviz.';
  static override examples = [
    {
      description: 'The vm machine for the Stately visualizer',
      command: '<%= config.bin %> machines export vm > vm.json',
    },
    {
      description: 'The container machine as a mermaid diagram',
      command: '<%= config.bin %> machines export container --format mermaid',
    },
    {
      description: 'A machine as an SVG picture (needs Graphviz)',
      command: '<%= config.bin %> machines export engine-connection --format dot | dot -Tsvg -o engine-connection.svg',
    },
  ];
  static override flags = {
    output: Flags.option({
      char: 'o',
      description: `Output format, one of ${machineFormats.join('|')}`,
      options: machineFormats,
      default: 'json' as const,
    })(),
    // The older name, kept working for scripts written before -o.
    format: Flags.option({
      char: 'f',
      description: 'Same as --output',
      options: machineFormats,
      hidden: true,
    })(),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(MachinesExport);
    const machines = readMachineDefinitions(machineDocsDir(this.config.root));
    const machine = machines.find(({ name }) => name === args.name);
    if (!machine) {
      const names = machines.map(({ name }) => name).join(', ');
      throw new ApiError('Invalid', `unknown machine ${JSON.stringify(args.name)}; valid names: ${names}`);
    }
    // JSON is printed as written, byte for byte what docs/machines holds.
    const format = flags.format ?? flags.output;
    this.print(format === 'json' ? machine.text : renderMachine(machine.definition, format));
  }
}
