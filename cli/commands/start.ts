import { Flags } from '@oclif/core';
import { appCommandBooleans, applyAppChanges } from '../app-commands.js';
import { RddCommand } from '../base-command.js';
import { resultOutputFlag, timeoutFlag } from '../flags.js';
import { renderResult } from '../output.js';

export default class Start extends RddCommand {
  static override description =
    'Start the container engine (rdd set running=true) and wait until it is up and connected: a local dockerd ' +
    '(vm.driver=dockerd), the engine in a Lima VM (vm.driver=lima), or an engine that runs already (vm.driver=external). ' +
    'Starts the daemon first if it is not running.';
  static override summary = 'Start the container engine and wait until it is up and connected.';
  static override examples = [
    { description: 'Start the engine and wait until it is up', command: '<%= config.bin %> start' },
    {
      description: 'Wait up to 10 minutes (a first Lima VM downloads its image)',
      command: '<%= config.bin %> start --timeout 10m',
    },
    { description: 'Ask for the start and return once it is accepted', command: '<%= config.bin %> start --no-wait' },
    { description: 'The same, spelled as kubectl does', command: '<%= config.bin %> start --wait=false' },
  ];
  static override flags = {
    output: resultOutputFlag(['json', 'yaml'] as const, 'progress on stderr only'),
    timeout: timeoutFlag(300_000, "the daemon's answer and the App to settle"),
    wait: Flags.boolean({
      default: true,
      allowNo: true,
      description:
        'Wait until the engine is up and connected; --no-wait (kubectl: --wait=false) returns once the start is accepted',
    }),
  };

  override async init(): Promise<void> {
    await super.init();
    this.argv = appCommandBooleans(this.argv);
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Start);
    const app = await applyAppChanges(
      this.instanceContext(flags),
      { running: 'true' },
      { dryRun: false, wait: flags.wait, timeoutMs: flags.timeout },
    );
    if (flags.output) this.print(renderResult(app, flags.output));
  }
}
