import { readMachineDefinitions, machineDocsDir } from '../../../host/statechart-docs.js';
import { countStates } from '../../../protocol/statechart/tree.js';
import { RddCommand } from '../../base-command.js';
import { outputFlag } from '../../flags.js';
import { renderJson, renderTable, renderYaml } from '../../output.js';

export default class MachinesList extends RddCommand {
  static override description =
    'List the state machines rdd runs, from their exported definitions in docs/machines. Needs no daemon.';
  static override summary = 'List the state machines rdd runs.';
  static override examples = [
    { description: 'The machines, their state counts and what they do', command: '<%= config.bin %> machines list' },
    { description: 'Only their names', command: '<%= config.bin %> machines list -o name' },
    {
      description: 'The machines with more than five states',
      command: "<%= config.bin %> machines list -o json | jq -r '.[] | select(.states > 5) | .name'",
    },
  ];
  static override flags = { output: outputFlag(['table', 'json', 'yaml', 'name'] as const, 'table') };

  async run(): Promise<void> {
    const { flags } = await this.parse(MachinesList);
    const machines = readMachineDefinitions(machineDocsDir(this.config.root)).map(({ name, definition }) => ({
      name,
      id: definition.id,
      states: countStates(definition),
      description: definition.description ?? '',
    }));
    if (flags.output === 'json') return this.print(renderJson(machines));
    if (flags.output === 'yaml') return this.print(renderYaml(machines));
    if (flags.output === 'name') return this.print(machines.map(({ name }) => `${name}\n`).join(''));
    this.print(
      renderTable(
        ['NAME', 'STATES', 'DESCRIPTION'],
        machines.map(({ name, states, description }) => [name, String(states), description]),
      ),
    );
  }
}
