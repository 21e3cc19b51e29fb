import fs from 'node:fs/promises';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { instanceDirs } from '../../../protocol/instance.js';
import { unmountUnder } from '../../../protocol/mounts.js';
import { stopProcessFromPidFile } from '../../../protocol/processes.js';
import { RddCommand } from '../../base-command.js';
import { stopDaemon } from '../../daemon-control.js';
import { timeoutFlag } from '../../flags.js';

export default class SvcDelete extends RddCommand {
  static override description =
    "Stop an instance's daemon and remove all its directories: store, credentials, logs, sockets. The desired state kept in its store is lost.";
  static override examples = [
    '<%= config.bin %> svc delete --instance scratch',
    'RDD_KEEP_LOGS=1 <%= config.bin %> svc delete',
  ];
  static override flags = {
    'keep-logs': Flags.boolean({ description: 'Keep the log directory [default: $RDD_KEEP_LOGS]', default: false }),
    timeout: timeoutFlag(30_000, 'the daemon to stop'),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SvcDelete);
    const context = this.instanceContext(flags);
    await stopDaemon(context, flags.timeout);
    // A daemon that was killed may have left its nats-server running on the store we are removing.
    await stopProcessFromPidFile(context.paths.nats_pid_file, ['nats-server', context.paths.nats_config], 5_000);
    // Likewise its dockerd (the dockerd driver's pid file, checked against our data-root).
    await stopProcessFromPidFile(
      path.join(context.paths.run_dir, 'dockerd.pid'),
      ['dockerd', context.paths.dir],
      20_000,
    );
    const keepLogs = flags['keep-logs'] || Boolean(process.env.RDD_KEEP_LOGS);
    const removed: string[] = [];
    for (const dir of instanceDirs(context.paths)) {
      if (keepLogs && dir === context.paths.log_dir) continue;
      try {
        await fs.access(dir);
      } catch {
        continue;
      }
      // An engine killed outright leaves mounts in its data-root; removing the directory needs them gone.
      await unmountUnder(dir);
      await fs.rm(dir, { recursive: true, force: true });
      removed.push(dir);
    }
    this.logToStderr(
      removed.length
        ? `Deleted instance ${context.instance}: removed ${removed.join(', ')}`
        : `Instance ${context.instance} has nothing to delete`,
    );
  }
}
