import { Flags } from '@oclif/core';
import { appCommandBooleans, applyAppChanges } from '../app-commands.js';
import { RddCommand } from '../base-command.js';
import { daemonState } from '../daemon-control.js';
import { resultOutputFlag, timeoutFlag } from '../flags.js';
import { renderResult } from '../output.js';

export default class Stop extends RddCommand {
  static override description =
    'Stop the container engine (rdd set running=false), and its Lima VM with vm.driver=lima, and wait until it has stopped. ' +
    'Starts the daemon if the instance exists but its daemon is down, so the stop is recorded. ' +
    'With no App there is nothing to stop: it says so and creates nothing.';
  static override summary = 'Stop the container engine and wait until it has stopped.';
  static override examples = [
    { description: 'Stop the engine and wait until it has stopped', command: '<%= config.bin %> stop' },
    { description: 'Wait at most a minute', command: '<%= config.bin %> stop --timeout 1m' },
    { description: 'Ask for the stop and return once it is accepted', command: '<%= config.bin %> stop --wait=false' },
  ];
  static override flags = {
    output: resultOutputFlag(['json', 'yaml'] as const, 'progress on stderr only'),
    timeout: timeoutFlag(300_000, "the daemon's answer and the App to settle"),
    wait: Flags.boolean({
      default: true,
      allowNo: true,
      description:
        'Wait until the engine (and its VM, with Lima) has stopped; --no-wait (kubectl: --wait=false) returns once the stop is accepted',
    }),
  };

  override async init(): Promise<void> {
    await super.init();
    this.argv = appCommandBooleans(this.argv);
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Stop);
    const context = this.instanceContext(flags);
    // An instance that was never created has no App: say so and create nothing. One that exists may
    // hold running=true with its daemon down; the daemon must start to record the stop, or the next
    // start would bring the engine back. An instance without an App is left without one.
    if (!(await daemonState(context)).created) {
      this.logToStderr('App does not exist; nothing to stop');
      if (flags.output) this.print(renderResult(null, flags.output));
      return;
    }
    const app = await applyAppChanges(
      context,
      { running: 'false' },
      { dryRun: false, wait: flags.wait, timeoutMs: flags.timeout, onlyIfExists: true },
    );
    // No App is printed as null: a script reads one shape, the App or nothing.
    if (flags.output) this.print(renderResult(app, flags.output));
  }
}
