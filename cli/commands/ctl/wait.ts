import { Args, Flags } from '@oclif/core';
import type { Resource } from '../../../protocol/resource.schema.js';
import { CtlCommand, exitCodesHelp, selectionFlags } from '../../ctl/ctl-command.js';
import { matchesSelection, selectionOf } from '../../ctl/selection.js';
import { parseTarget } from '../../ctl/target.js';
import { describeWaitFor, judge, parseWaitFor, waitForForms } from '../../ctl/wait-for.js';
import { watchUntil } from '../../ctl/watch-until.js';
import { formatDuration } from '../../duration.js';
import { UsageError } from '../../exit-codes.js';
import { resultOutputFlag, timeoutFlag } from '../../flags.js';
import { explainInterrupt, instanceArgument } from '../../interrupt.js';
import { resourceName } from '../../kubectl/index.js';
import { renderResult } from '../../output.js';
import { withProgress } from '../../progress-line.js';
import { listOf } from '../../ctl/render.js';

export default class CtlWait extends CtlCommand {
  static override description = `Wait until objects meet a condition, like kubectl wait.

--for takes ${waitForForms}. With names, every named object must meet it; with -l or
--field-selector, every matching object must (--for=create waits for at least one). Exits 4 on
timeout, naming what it waited for and what it last saw.

${exitCodesHelp}`;

  static override usage = [
    'ctl wait KIND [NAME…] --for=CONDITION [FLAGS]',
    'ctl wait KIND/NAME… --for=CONDITION [FLAGS]',
  ];
  static override examples = [
    { description: 'Until a container exists', command: '<%= config.bin %> ctl wait container/web --for=create' },
    {
      description: 'Until an image with a tag exists, for a minute at most',
      command:
        '<%= config.bin %> ctl wait images --for=create --field-selector status.repoTag=busybox:latest --timeout=60s',
    },
    {
      description: 'Until a container has exited',
      command: "<%= config.bin %> ctl wait container/web --for=jsonpath='{.status.status}'=exited",
    },
    {
      description: 'Until a container is in the state rdd keeps it in',
      command: '<%= config.bin %> ctl wait container/web --for=condition=Converged',
    },
    {
      description: 'Until a container is gone',
      command: '<%= config.bin %> ctl wait container/web --for=delete --timeout=10s',
    },
    { description: 'Until the App has settled', command: '<%= config.bin %> ctl wait app/app --for=condition=Settled' },
  ];
  static override args = {
    target: Args.string({ description: 'KIND, KIND NAME… or KIND/NAME…', required: true }),
  };
  static override strict = false;
  static override flags = {
    ...selectionFlags,
    for: Flags.string({ description: `What to wait for: ${waitForForms}`, required: true }),
    timeout: timeoutFlag(30_000, 'the condition'),
    output: resultOutputFlag(['json', 'yaml', 'name'] as const, '"KIND/NAME condition met" lines'),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlWait);
    const context = this.instanceContext(flags);
    const target = parseTarget(argv as string[]);
    const waitFor = parseWaitFor(flags.for);
    const selection = selectionOf(target, flags);
    if (target.names.length === 0 && selection.fields.length === 0 && selection.labels.length === 0) {
      if (waitFor.kind !== 'create' && waitFor.kind !== 'delete') {
        throw new UsageError('name the objects to wait for (KIND/NAME), or select them with -l or --field-selector');
      }
    }
    const what = `${describeWaitFor(waitFor)} of ${(argv as string[]).join(' ')}`;
    const connection = await this.connect(context, { reconnect: true });
    let lastSeen = 'nothing yet';
    const again = `rdd ctl wait ${(argv as string[]).join(' ')} --for=${quoteForShell(flags.for)}`;
    const wait = () =>
      watchUntil({
        context,
        connection,
        kind: target.info.kind,
        timeoutMs: flags.timeout,
        timeoutMessage: () =>
          `timed out after ${formatDuration(flags.timeout)} waiting for ${what}; last seen: ${lastSeen}`,
        accept: (resource) => matchesSelection(resource, selection),
        done: (objects) => {
          const verdict = judge(waitFor, objects, target.names);
          lastSeen = verdict.seen;
          if (!verdict.met) return false;
          this.printMet(verdict.objects, what, { output: flags.output, single: target.names.length === 1 });
          return true;
        },
      });
    await explainInterrupt(
      () => ({
        background: `nothing was asked of the daemon, and ${what} is not met yet (last seen: ${lastSeen})`,
        follow: `${again}${instanceArgument(context.instance)}`,
      }),
      () => withProgress(`waiting for ${what}`, wait),
    );
  }

  /** The objects as last seen, when they met the condition (none for --for=delete). */
  private printMet(
    objects: readonly Resource[],
    what: string,
    { output, single }: { output?: 'json' | 'yaml' | 'name'; single: boolean },
  ): void {
    if (output === 'name') return this.print(objects.map((object) => `${resourceName(object)}\n`).join(''));
    if (output) return this.print(renderResult(single ? (objects[0] ?? null) : listOf(objects), output));
    const lines = objects.map((object) => `${resourceName(object)} condition met\n`);
    this.print(lines.join('') || `${what}: condition met\n`);
  }
}

/** A --for value as a shell word: single-quoted when it holds anything a shell would read. */
function quoteForShell(text: string): string {
  return /^[\w.=/:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
