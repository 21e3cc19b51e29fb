import { Args, Flags } from '@oclif/core';
import { containerActions, type ContainerAction } from '../../../protocol/mirrors/container.schema.js';
import { CtlCommand, exitCodesHelp, selectionFlags } from '../../ctl/ctl-command.js';
import { resolveOne } from '../../ctl/resolve.js';
import { lastSeenOf, withinTimeout } from '../../ctl/timed-request.js';
import { UsageError } from '../../exit-codes.js';
import { outputFlag, stopTimeFlag, timeoutFlag } from '../../flags.js';
import { explainInterrupt, instanceArgument } from '../../interrupt.js';
import { renderJson, renderYaml } from '../../output.js';
import { withProgress } from '../../progress-line.js';

export default class CtlAction extends CtlCommand {
  static override description = `Run a one-shot action on a container and show its outcome (status.lastAction).

Actions: ${containerActions.join(', ')}. An action that goes against spec.state (stop while it should
run) releases spec.state to unknown, so rdd does not undo what you asked for. pause on a paused
container succeeds at once; unpause on a container that is not running fails. Exits 1 when the
action failed, with the engine's message; exits 4 when --timeout runs out first (an engine that does
not answer), naming the container's last state and the engine's.

${exitCodesHelp}`;

  static override usage = ['ctl action container/NAME ACTION [FLAGS]', 'ctl action container NAME ACTION [FLAGS]'];
  static override examples = [
    { description: 'Stop a container once', command: '<%= config.bin %> ctl action container/web stop' },
    {
      description: 'Restart it and print the outcome as JSON',
      command: '<%= config.bin %> ctl action container web restart -o json',
    },
    {
      description: 'Ask for a pause without waiting for it',
      command: '<%= config.bin %> ctl action container/web pause --no-wait',
    },
  ];
  static override args = {
    target: Args.string({ description: 'container/NAME (or container NAME)', required: true }),
  };
  static override strict = false;
  static override flags = {
    namespace: selectionFlags.namespace,
    output: outputFlag(['table', 'json', 'yaml'] as const, 'table'),
    wait: Flags.boolean({ description: 'Wait for the outcome', default: true, allowNo: true }),
    timeout: timeoutFlag(120_000, 'the action to finish (the CLI gives up; the action goes on)'),
    time: stopTimeFlag(),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlAction);
    const words = argv as string[];
    const action = words.at(-1) ?? '';
    if (words.length < 2 || !(containerActions as readonly string[]).includes(action)) {
      throw new UsageError(
        `give the action last: rdd ctl action container/NAME ACTION; valid actions: ${containerActions.join(', ')}`,
      );
    }
    if (flags.time !== undefined && action !== 'stop' && action !== 'restart') {
      throw new UsageError(`--time is a grace period for stop and restart only, not for ${action}`);
    }
    const context = this.instanceContext(flags);
    const { nc, store, api } = await this.connect(context);
    try {
      const { resource } = await resolveOne(store, words.slice(0, -1), ['Container'], flags.namespace);
      const timeoutMs = flags.timeout === 0 ? 24 * 3600_000 : flags.timeout;
      const name = resource.metadata.name;
      const request = {
        name,
        action: action as ContainerAction,
        wait: flags.wait,
        ...(flags.time === undefined ? {} : { stopTimeSeconds: flags.time }),
      };
      // People know a container by its Docker name; every ctl verb takes it back as container/NAME.
      const shown = (resource.status as { name?: unknown } | undefined)?.name;
      const known = typeof shown === 'string' && shown ? shown : name;
      const what = `${action} of container ${known}`;
      const reply = await explainInterrupt(
        () => ({
          background: `the ${what} goes on in the background`,
          follow: `rdd ctl wait container/${known} --for=jsonpath='{.status.lastAction.completedAt}'${instanceArgument(context.instance)}`,
        }),
        () =>
          withProgress(what, () =>
            withinTimeout(api.request('container.action', request, timeoutMs), {
              what,
              timeoutMs,
              lastSeen: () => lastSeenOf(store, 'Container', name),
            }),
          ),
      );
      if (flags.output === 'json') this.print(renderJson(reply));
      else if (flags.output === 'yaml') this.print(renderYaml(reply));
      else if (reply.queued) this.print(`${what} queued\n`);
      else if (reply.lastAction) {
        const { state, error } = reply.lastAction;
        this.print(`${what}: ${state}${error ? `: ${error}` : ''}\n`);
      }
      if (reply.lastAction?.state === 'Failed') this.exit(1);
    } finally {
      await nc.close();
    }
  }
}
