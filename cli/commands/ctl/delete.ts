import { Args, Flags } from '@oclif/core';
import { explainRefusal, type DeleteRefusal } from '../../../protocol/mirrors/commands.schema.js';
import type { Resource } from '../../../protocol/resource.schema.js';
import {
  CtlCommand,
  type CtlConnection,
  exitCodesHelp,
  ignoreNotFoundFlag,
  selectionFlags,
} from '../../ctl/ctl-command.js';
import { listOf } from '../../ctl/render.js';
import { notFound, selectionOf, selectResources } from '../../ctl/selection.js';
import { parseTarget } from '../../ctl/target.js';
import { lastSeenOf, withinTimeout } from '../../ctl/timed-request.js';
import { judge } from '../../ctl/wait-for.js';
import { watchUntil } from '../../ctl/watch-until.js';
import { formatDuration } from '../../duration.js';
import { UsageError } from '../../exit-codes.js';
import { resultOutputFlag, timeoutFlag } from '../../flags.js';
import { explainInterrupt, instanceArgument } from '../../interrupt.js';
import { resourceName } from '../../kubectl/index.js';
import { renderResult } from '../../output.js';
import { withProgress } from '../../progress-line.js';

export default class CtlDelete extends CtlCommand {
  static override description = `Delete mirrors, and with them the engine objects they stand for.

A container is removed with force; an image by its tag (one tag at a time), never forced unless you
say --force; a volume; a network (except the predefined bridge, host and none). ContainerNamespace/moby
cannot be deleted: it exists while the moby engine runs.

When the engine refuses (an image a container uses, a volume a container mounts, a network with
connected containers), the command says so at once: the engine's reason, the containers that hold the
object, and whether --force would remove it now. The mirror stays, marked for deletion (Terminating,
with a DeleteFailed condition), and the deletion completes by itself once nothing uses the object.

With --wait (the default), returns once the mirrors are gone, exits 1 when the engine refused, and 4
on timeout. With --wait=false, returns once each delete is asked for, and exits 0 even when refused.

${exitCodesHelp}`;

  static override usage = [
    'ctl delete KIND NAME… [FLAGS]',
    'ctl delete KIND/NAME… [FLAGS]',
    'ctl delete KIND (-l SELECTOR | --field-selector SELECTOR) [FLAGS]',
  ];
  static override examples = [
    { description: 'Remove a container', command: '<%= config.bin %> ctl delete container/web' },
    {
      description: 'Remove an image even while a container uses it',
      command: '<%= config.bin %> ctl delete image busybox:latest --force',
    },
    { description: 'Remove the volumes with a label', command: '<%= config.bin %> ctl delete volumes -l app=test' },
    {
      description: 'Remove the exited containers without waiting',
      command: '<%= config.bin %> ctl delete containers --field-selector status.status=exited --wait=false',
    },
    {
      description: 'Remove a volume if it is there',
      command: '<%= config.bin %> ctl delete volume/scratch --ignore-not-found',
    },
  ];
  static override args = {
    target: Args.string({ description: 'KIND NAME…, KIND/NAME…, or KIND with -l/--field-selector', required: true }),
  };
  static override strict = false;
  static override flags = {
    ...selectionFlags,
    'ignore-not-found': ignoreNotFoundFlag,
    force: Flags.boolean({ description: 'Remove an image even while a container uses it' }),
    wait: Flags.boolean({ description: 'Wait until the mirrors are gone', default: true, allowNo: true }),
    timeout: timeoutFlag(60_000, 'the deletion'),
    output: resultOutputFlag(['json', 'yaml', 'name'] as const, '"KIND/NAME deleted" lines'),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlDelete);
    const context = this.instanceContext(flags);
    const target = parseTarget(argv as string[]);
    const selection = selectionOf(target, flags);
    if (target.names.length === 0 && selection.fields.length === 0 && selection.labels.length === 0) {
      throw new UsageError(`name what to delete (KIND/NAME), or select it with -l or --field-selector`);
    }
    const connection = await this.connect(context, { reconnect: true });
    const { items, missing } = await selectResources(connection.store, selection);
    if (missing.length > 0 && !flags['ignore-not-found']) {
      await connection.nc.close();
      throw notFound(selection, missing);
    }
    if (items.length === 0) {
      await connection.nc.close();
      return;
    }
    // As ctl wait reads them back: kind/name (the qualified form is for kubectl's printed lines).
    const names = items.map((item) => `${item.kind.toLowerCase()}/${item.metadata.name}`).join(' ');
    await explainInterrupt(
      () => ({
        background: `the deletion of ${names} goes on in the background`,
        follow: `rdd ctl wait ${names} --for=delete --timeout=5m${instanceArgument(context.instance)}`,
      }),
      () => this.deleteAll(context, connection, items, { ...flags, single: target.names.length === 1 }),
    );
  }

  private async deleteAll(
    context: ReturnType<CtlDelete['instanceContext']>,
    connection: CtlConnection,
    items: readonly Resource[],
    flags: { force: boolean; wait: boolean; timeout: number; output?: 'json' | 'yaml' | 'name'; single: boolean },
  ): Promise<void> {
    const refusals: DeleteRefusal[] = [];
    // Removed from the engine, but the engine still reported them a moment later.
    const lingering: Resource[] = [];
    for (const item of items) {
      const timeoutMs = flags.timeout === 0 ? 300_000 : flags.timeout;
      const reply = await withinTimeout(
        connection.api.request(
          'resource.delete',
          { kind: item.kind, name: item.metadata.name, force: flags.force },
          timeoutMs,
        ),
        {
          what: `the deletion of ${resourceName(item)}`,
          timeoutMs,
          lastSeen: () => lastSeenOf(connection.store, item.kind, item.metadata.name),
        },
      );
      if (!flags.output) this.print(`${resourceName(item)} ${reply.deleted ? 'deleted' : 'marked for deletion'}\n`);
      if (reply.refused) refusals.push(reply.refused);
      else if (!reply.deleted) lingering.push(item);
    }
    if (flags.wait && lingering.length > 0) {
      this.logToStderr(`waiting for the mirrors of ${lingering.map(resourceName).join(', ')} to go`);
      await withProgress(`waiting for ${lingering.map(resourceName).join(', ')} to go`, () =>
        this.waitGone(context, connection, lingering, flags.timeout),
      );
    } else await connection.nc.close();
    // The objects as last seen before they went: a deleted object has no newer state to show.
    if (flags.output === 'name') this.print(items.map((item) => `${resourceName(item)}\n`).join(''));
    else if (flags.output) this.print(renderResult(flags.single ? items[0] : listOf(items), flags.output));
    if (refusals.length === 0) return;
    const explained = refusals.map(explainBlock).join('\n');
    // A refusal is not waited out: nothing changes until a container goes, which may be never.
    if (flags.wait) throw new Error(explained);
    this.logToStderr(explained);
  }

  private waitGone(
    context: ReturnType<CtlDelete['instanceContext']>,
    connection: CtlConnection,
    items: readonly Resource[],
    timeoutMs: number,
  ): Promise<void> {
    const names = items.map((item) => item.metadata.name);
    return watchUntil({
      context,
      connection,
      kind: items[0]?.kind,
      timeoutMs,
      timeoutMessage: () =>
        `timed out after ${formatDuration(timeoutMs)} waiting for the deletion of ${names.join(', ')}`,
      done: (objects) => judge({ kind: 'delete' }, objects, names).met,
    });
  }
}

/** One refusal as the CLI prints it: the engine's words, then what follows, indented under them. */
function explainBlock(refusal: DeleteRefusal): string {
  const [summary, ...rest] = explainRefusal(refusal);
  return [summary, ...rest.map((line) => `  ${line}`)].join('\n');
}
