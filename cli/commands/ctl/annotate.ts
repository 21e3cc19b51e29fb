import { Args, Flags } from '@oclif/core';
import {
  containerActionAnnotation as actionAnnotation,
  containerActions,
  type ContainerAction,
} from '../../../protocol/mirrors/container.schema.js';
import { ApiError } from '../../../protocol/api-error.js';
import { CtlCommand, exitCodesHelp, selectionFlags } from '../../ctl/ctl-command.js';
import { resolveOne } from '../../ctl/resolve.js';
import { UsageError } from '../../exit-codes.js';

export default class CtlAnnotate extends CtlCommand {
  static override description = `The Go rdd's one-shot action interface: annotate a container with ${actionAnnotation}=ACTION.

The action is handed to the container's actor at once. The annotation stays on the mirror while the
action runs and is removed when it has finished (as in the Go original: gone means done), and
status.lastAction shows it: state Running, then Succeeded or Failed (error, observedAt, completedAt). Same
actions as rdd ctl action: ${containerActions.join(', ')}. Other annotations are not stored.

${exitCodesHelp}`;

  static override usage = [
    'ctl annotate container/NAME KEY=VALUE [FLAGS]',
    'ctl annotate container NAME KEY=VALUE [FLAGS]',
  ];
  static override summary = "Run a one-shot action on a container the Go rdd's way, by annotating it.";
  static override examples = [
    {
      description: "Stop a container the Go rdd's way",
      command: '<%= config.bin %> ctl annotate container/web containers.rancherdesktop.io/action=stop',
    },
    {
      description: 'Replace an action asked for before',
      command: '<%= config.bin %> ctl annotate container web containers.rancherdesktop.io/action=restart --overwrite',
    },
    {
      description: 'Then wait for the outcome',
      command: "<%= config.bin %> ctl wait container/web --for=jsonpath='{.status.lastAction.state}'=Succeeded",
    },
  ];
  static override args = {
    target: Args.string({ description: 'container/NAME (or container NAME), then KEY=VALUE', required: true }),
  };
  static override strict = false;
  static override flags = {
    namespace: selectionFlags.namespace,
    overwrite: Flags.boolean({
      description: 'Accepted for kubectl compatibility (an action annotation is removed once the action is done)',
    }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlAnnotate);
    const words = argv as string[];
    const assignment = words.at(-1) ?? '';
    const equals = assignment.indexOf('=');
    if (words.length < 2 || equals <= 0) {
      throw new UsageError(`give the annotation last: rdd ctl annotate container/NAME ${actionAnnotation}=ACTION`);
    }
    const key = assignment.slice(0, equals);
    const value = assignment.slice(equals + 1);
    if (key !== actionAnnotation) {
      throw new ApiError('Invalid', `annotation "${key}" is not supported; rdd acts on ${actionAnnotation} only`);
    }
    if (!(containerActions as readonly string[]).includes(value)) {
      throw new ApiError(
        'Invalid',
        `invalid ${actionAnnotation} annotation "${value}"; valid values: ${containerActions.join(', ')}`,
      );
    }
    const context = this.instanceContext(flags);
    const { nc, store, api } = await this.connect(context);
    try {
      const { resource } = await resolveOne(store, words.slice(0, -1), ['Container'], flags.namespace);
      await api.request('container.action', {
        name: resource.metadata.name,
        action: value as ContainerAction,
        wait: false,
      });
      this.print(`container.containers.rancherdesktop.io/${resource.metadata.name} annotated\n`);
    } finally {
      await nc.close();
    }
  }
}
