/**
 * What every `rdd ctl` command shares: the kubectl-style selection flags, and a connection to the
 * instance's bus and resource store. ctl never starts a daemon (a read should not boot an engine): a
 * stopped instance is an error that says how to start it.
 */
import { Flags } from '@oclif/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { ApiClient } from '../../client/api-client.js';
import { ShapeCheckedStore } from '../../client/shape-checked-store.js';
import { warnAboutInvalidValues } from './invalid-values.js';
import { RddCommand } from '../base-command.js';
import { connectRunningDaemon, type InstanceContext } from '../daemon-control.js';

export interface CtlConnection {
  nc: NatsConnection;
  store: ShapeCheckedStore;
  api: ApiClient;
}

export const selectionFlags = {
  'field-selector': Flags.string({
    description: 'Select by fields, e.g. status.name=web,status.status!=exited (see the selectable fields per kind)',
    aliases: ['field'],
  }),
  selector: Flags.string({
    char: 'l',
    description: "Select by the engine object's labels: k=v, k!=v, k, !k, k in (a,b), k notin (a,b)",
  }),
  namespace: Flags.string({
    char: 'n',
    description: 'Namespace of the mirrors [default: rancher-desktop]; the App is cluster-scoped',
  }),
  'all-namespaces': Flags.boolean({ char: 'A', description: 'Every namespace' }),
};

export const ignoreNotFoundFlag = Flags.boolean({
  description: 'Names that match nothing are not an error: they are left out, and the command exits 0',
});

/** The shared sentence of every ctl command's help on where rdd's exit codes differ from kubectl's. */
export const exitCodesHelp = `Exit codes differ from kubectl's, which exits 1 for every failure: 1 failed or not found, 2 bad
usage, 3 rejected (an invalid value or kind, a forbidden change), 4 a wait timed out, 130 interrupted.`;

/**
 * kubectl spells booleans `--wait=false`; oclif wants `--wait` or `--no-wait`. Rewritten before parsing:
 * `=true` becomes the bare flag; `=false` becomes `--no-<name>` for the flags in `negatable`, and is
 * dropped for the others (false is their default).
 */
export function kubectlBooleans(
  argv: readonly string[],
  booleans: readonly string[],
  negatable: readonly string[],
): string[] {
  return argv.flatMap((arg) => {
    const match = /^--([a-z-]+)=(true|false)$/i.exec(arg);
    const name = match?.[1];
    if (!name || !booleans.includes(name)) return [arg];
    if (match[2]!.toLowerCase() === 'true') return [`--${name}`];
    return negatable.includes(name) ? [`--no-${name}`] : [];
  });
}

/**
 * `-n` where no namespace matters (the kinds and their fields are the same in each): kubectl takes it on
 * every command, so a script passing it everywhere keeps working.
 */
export const ignoredNamespaceFlag = Flags.string({
  char: 'n',
  description: 'Accepted as kubectl does; kinds and their fields are the same in every namespace',
});

export abstract class CtlCommand extends RddCommand {
  override async init(): Promise<void> {
    await super.init();
    const booleans = [
      'wait',
      'force',
      'watch',
      'watch-only',
      'output-watch-events',
      'no-headers',
      'overwrite',
      'all-namespaces',
      'ignore-not-found',
      'show-labels',
    ];
    this.argv = kubectlBooleans(this.argv, booleans, ['wait']);
  }

  protected async connect(context: InstanceContext, options: { reconnect?: boolean } = {}): Promise<CtlConnection> {
    const nc = await connectRunningDaemon(context, { ...options, name: 'rdd-ctl' });
    try {
      const store = warnAboutInvalidValues(await ShapeCheckedStore.open(nc, context.instance));
      return { nc, store, api: new ApiClient(nc, context.instance) };
    } catch (error) {
      await nc.close();
      throw error;
    }
  }
}
