import { RddCommand } from '../../base-command.js';
import { stopDaemon } from '../../daemon-control.js';
import { timeoutFlag } from '../../flags.js';
import { explainInterrupt, instanceArgument } from '../../interrupt.js';

export default class SvcStop extends RddCommand {
  static override description =
    'Stop the rdd daemon of an instance: it stops its children in reverse start order; after the timeout it is terminated. ' +
    'Stopping a daemon that is not running succeeds.';
  static override summary = 'Stop the rdd daemon of an instance.';
  static override examples = [
    { description: 'Stop the daemon (the engine stops with it)', command: '<%= config.bin %> svc stop' },
    {
      description: 'Another instance, waiting at most 10 s before terminating it',
      command: '<%= config.bin %> svc stop --instance dev --timeout 10s',
    },
  ];
  static override flags = { timeout: timeoutFlag(90_000, 'a graceful stop before terminating the daemon') };

  async run(): Promise<void> {
    const { flags } = await this.parse(SvcStop);
    const context = this.instanceContext(flags);
    const outcome = await explainInterrupt(
      () => ({
        background: `the rdd daemon of instance ${context.instance} keeps stopping in the background`,
        follow: `rdd svc stop${instanceArgument(context.instance)}`,
      }),
      () => stopDaemon(context, flags.timeout),
    );
    if (outcome === 'not-running') {
      this.logToStderr(`rdd daemon of instance ${context.instance} is not running`);
    }
  }
}
