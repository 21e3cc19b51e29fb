import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline/promises';
import { Flags } from '@oclif/core';
import { engineDataDirs } from '../../../protocol/instance.js';
import { stopProcessFromPidFile } from '../../../host/processes.js';
import { RddCommand } from '../../base-command.js';
import { stopDaemon, type InstanceContext } from '../../daemon-control.js';
import { UsageError } from '../../exit-codes.js';
import { timeoutFlag } from '../../flags.js';
import {
  countEngineContents,
  describeContents,
  presentEngineDataDirs,
  removeInstance,
  type EngineContents,
} from '../../instance-removal.js';

const ownState = 'store, credentials, NATS config, logs, sockets and pid files';

export default class SvcDelete extends RddCommand {
  static override description =
    "Stop an instance's daemon and its engine, and remove rdd's own state: the store (with the desired state " +
    `kept in it), credentials, NATS config, logs, sockets and pid files. The engine's data — its containers, ` +
    'images and volumes (the dockerd data-root, or the Lima VM and its disk) — is kept, so `rdd svc start` and ' +
    '`rdd start` of the same instance find them again. --purge removes the engine data too: on a terminal it ' +
    'first lists what will go and asks; elsewhere it needs --yes.';
  static override summary =
    "Stop an instance's daemon and engine and remove rdd's state; containers, images and volumes stay unless --purge.";
  static override examples = [
    {
      description: "Remove rdd's state but keep the containers, images and volumes",
      command: '<%= config.bin %> svc delete --instance scratch',
    },
    {
      description: 'Also remove every container, image and volume of the instance (asks first)',
      command: '<%= config.bin %> svc delete --purge',
    },
    { description: 'The same from a script, without asking', command: '<%= config.bin %> svc delete --purge --yes' },
    { description: 'Keep the logs for a bug report', command: 'RDD_KEEP_LOGS=1 <%= config.bin %> svc delete' },
  ];
  static override flags = {
    'keep-logs': Flags.boolean({ description: 'Keep the log directory [default: $RDD_KEEP_LOGS]', default: false }),
    purge: Flags.boolean({
      description: "Also remove the engine's data: every container, image and volume of this instance",
      default: false,
    }),
    timeout: timeoutFlag(30_000, 'the daemon to stop'),
    yes: Flags.boolean({ char: 'y', description: 'Confirm --purge without asking (for scripts)', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SvcDelete);
    const context = this.instanceContext(flags);
    const { instance, paths } = context;
    if (flags.yes && !flags.purge) throw new UsageError('--yes confirms --purge; use it together with --purge');
    const purgedDirs = flags.purge ? await presentEngineDataDirs(paths) : [];
    if (flags.purge && !flags.yes && !process.stdin.isTTY) {
      const what = purgedDirs.length ? ` in ${purgedDirs.join(' and ')}` : ' (none is stored yet)';
      throw new UsageError(
        `refusing to purge instance ${instance} without confirmation: --purge removes every container, image and volume of its engine${what}, and stdin is not a terminal to ask on; confirm with: rdd svc delete --purge --yes (or run plain rdd svc delete to keep them)`,
      );
    }
    // Counted before anything stops: only a running engine can say what it holds.
    const contents = purgedDirs.length > 0 ? await countEngineContents(paths) : null;
    if (purgedDirs.length > 0 && !flags.yes && !(await this.confirmPurge(instance, purgedDirs, contents))) {
      this.logToStderr('Nothing was removed');
      this.exit(1);
    }

    await stopEverything(context, flags.timeout);
    const keepLogs = flags['keep-logs'] || Boolean(process.env.RDD_KEEP_LOGS);
    const { removed, kept } = await removeInstance(paths, { purge: flags.purge, keepLogs });
    this.report(context, { removed, kept, purgedDirs, contents });
  }

  private async confirmPurge(instance: string, dirs: string[], contents: EngineContents | null): Promise<boolean> {
    this.logToStderr(`rdd svc delete --purge removes, for instance ${instance}:`);
    this.logToStderr(`  - rdd's own state: ${ownState}`);
    this.logToStderr(`  - the engine's data in ${dirs.join(' and ')}: ${describeContents(contents)}`);
    const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question('Remove all of this? It cannot be undone. [y/N] ');
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      prompt.close();
    }
  }

  private report(
    { instance, paths }: InstanceContext,
    outcome: { removed: string[]; kept: string[]; purgedDirs: string[]; contents: EngineContents | null },
  ): void {
    const { removed, kept, purgedDirs, contents } = outcome;
    if (removed.length === 0) {
      this.logToStderr(`Instance ${instance} has nothing to delete`);
    } else {
      this.logToStderr(`Deleted instance ${instance}; removed:`);
      for (const target of removed) this.logToStderr(`  - ${target}`);
    }
    if (purgedDirs.length > 0) {
      this.logToStderr(`Removed the engine's data in ${purgedDirs.join(' and ')}: ${describeContents(contents)}`);
    }
    for (const dir of kept) {
      this.logToStderr(
        Object.values(engineDataDirs(paths)).includes(dir)
          ? `Kept the engine's data (containers, images, volumes) in ${dir}; rdd svc delete --purge removes it`
          : `Kept ${dir}`,
      );
    }
  }
}

/** The daemon, then whatever a daemon killed outright left running on the directories about to go. */
async function stopEverything(context: InstanceContext, timeoutMs: number): Promise<void> {
  const { paths } = context;
  await stopDaemon(context, timeoutMs);
  await stopProcessFromPidFile(paths.nats_pid_file, ['nats-server', paths.nats_config], 5_000);
  // The dockerd driver's pid file, checked against our data-root.
  await stopProcessFromPidFile(path.join(paths.run_dir, 'dockerd.pid'), ['dockerd', paths.dir], 20_000);
  // A Lima VM outlives a killed daemon; its host agent shuts the VM down on SIGTERM.
  const { limaHome } = engineDataDirs(paths);
  for (const vm of await fs.readdir(limaHome).catch(() => [])) {
    await stopProcessFromPidFile(path.join(limaHome, vm, 'ha.pid'), ['hostagent', path.join(limaHome, vm)], 60_000);
  }
}
