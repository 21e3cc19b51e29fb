import { Flags } from '@oclif/core';
import { RddCommand } from '../../base-command.js';
import { startDaemon } from '../../daemon-control.js';
import { timeoutFlag } from '../../flags.js';
import { explainInterrupt, instanceArgument } from '../../interrupt.js';

export default class SvcStart extends RddCommand {
  static override description =
    'Start the rdd daemon of an instance in the background (one per instance; a running one is reported, not doubled). ' +
    'The daemon runs its own NATS server and store under the instance directories.';
  static override summary = 'Start the rdd daemon of an instance in the background.';
  static override examples = [
    { description: 'Start the daemon and wait until it answers', command: '<%= config.bin %> svc start' },
    {
      description: 'Another instance, waiting at most 2 minutes',
      command: '<%= config.bin %> svc start --instance dev --timeout 2m',
    },
    { description: 'Start it without waiting', command: 'RDD_INSTANCE=ci <%= config.bin %> svc start --no-wait' },
  ];
  static override flags = {
    timeout: timeoutFlag(90_000, 'the daemon to answer'),
    wait: Flags.boolean({ default: true, allowNo: true, description: 'Wait until the daemon answers requests' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SvcStart);
    const context = this.instanceContext(flags);
    await explainInterrupt(
      () => ({
        background: `the rdd daemon of instance ${context.instance} keeps starting in the background`,
        // A second svc start waits for the running daemon to answer; it never starts another.
        follow: `rdd svc start${instanceArgument(context.instance)}`,
      }),
      () => startDaemon(context, flags.timeout, { wait: flags.wait, reportRunning: true }),
    );
  }
}
