import { Args } from '@oclif/core';
import { containerDesiredStates } from '../../../protocol/mirrors/container.schema.js';
import { CtlCommand, exitCodesHelp, selectionFlags } from '../../ctl/ctl-command.js';
import { resolveOne } from '../../ctl/resolve.js';
import { UsageError } from '../../exit-codes.js';
import { outputFlag } from '../../flags.js';
import { renderJson, renderYaml } from '../../output.js';

export default class CtlState extends CtlCommand {
  static override description = `Set the state rdd keeps a container in (spec.state).

unknown (the default) only observes; created, running and paused are converged towards: rdd starts,
stops, pauses or unpauses the container until it matches, retrying with backoff. rdd never fights you:
a docker stop, kill, pause or start done outside rdd puts spec.state back to unknown, with the reason
in the Converged condition. A container that crashes while it should run is restarted with crash-loop
backoff.

${exitCodesHelp}`;

  static override usage = ['ctl state container/NAME STATE [FLAGS]', 'ctl state container NAME STATE [FLAGS]'];
  static override examples = [
    {
      description: 'Keep a container running: rdd starts it and restarts it after a crash',
      command: '<%= config.bin %> ctl state container/web running',
    },
    {
      description: 'Keep a container paused, naming it by ID',
      command: '<%= config.bin %> ctl state container 3f2a9c1d paused',
    },
    { description: 'Only observe it again', command: '<%= config.bin %> ctl state container/web unknown' },
  ];
  static override args = {
    target: Args.string({ description: 'container/NAME (or container NAME)', required: true }),
  };
  static override strict = false;
  static override flags = {
    namespace: selectionFlags.namespace,
    output: outputFlag(['name', 'json', 'yaml'] as const, 'name'),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlState);
    const words = argv as string[];
    const state = words.at(-1) ?? '';
    if (words.length < 2 || !(containerDesiredStates as readonly string[]).includes(state)) {
      throw new UsageError(
        `give the state last: rdd ctl state container/NAME STATE; valid states: ${containerDesiredStates.join(', ')}`,
      );
    }
    const context = this.instanceContext(flags);
    const { nc, store, api } = await this.connect(context);
    try {
      const { resource } = await resolveOne(store, words.slice(0, -1), ['Container'], flags.namespace);
      const updated = await api.request('container.state', {
        name: resource.metadata.name,
        state: state as (typeof containerDesiredStates)[number],
      });
      if (flags.output === 'json') return this.print(renderJson(updated));
      if (flags.output === 'yaml') return this.print(renderYaml(updated));
      this.print(`container.containers.rancherdesktop.io/${updated.metadata.name} state set to ${state}\n`);
    } finally {
      await nc.close();
    }
  }
}
