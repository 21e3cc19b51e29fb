import { randomBytes } from 'node:crypto';
import { Flags } from '@oclif/core';
import { checkChanges } from '../../protocol/app.admission.js';
import { appProperties, describeType } from '../../protocol/app-properties.js';
import { appCommandBooleans, applyAppChanges, parseAssignments } from '../app-commands.js';
import { RddCommand } from '../base-command.js';
import { resultOutputFlag, timeoutFlag } from '../flags.js';
import { renderResult } from '../output.js';

const propertyHelp = appProperties
  .map((property) => {
    const defaultText = property.defaultText ? ` [default: ${property.defaultText}]` : '';
    return `• ${property.path}=<${describeType(property.type)}>: ${property.description}${defaultText}`;
  })
  .join('\n');

export default class Set extends RddCommand {
  static override summary =
    'Change the App: the desired state of the container engine (and of its Lima VM, with vm.driver=lima).';
  static override description =
    'A missing App is created. Says whether the change was applied and at which generation, then waits until it has ' +
    'settled (Settled=True at that generation), printing each condition change on stderr; fails at once (exit 1) ' +
    'with the cause when the engine (or its Lima VM) reports a failure; exits 3 naming the property and the allowed values ' +
    'when a change is rejected. While the bus or the daemon restarts it keeps asking until --timeout (sending the ' +
    'change again never applies it twice); exits 4 naming what it waited for when the timeout passes.\n\n' +
    `Properties (an empty value resets one to its default):\n${propertyHelp}`;
  static override examples = [
    { description: 'Start the engine', command: '<%= config.bin %> set running=true' },
    {
      description: 'Change two properties at once',
      command: '<%= config.bin %> set running=true containerEngine.mirrorImages=false',
    },
    {
      description: 'Attach to a dockerd that runs already, waiting at most 30 s',
      command: '<%= config.bin %> set vm.driver=external vm.socket=/var/run/docker.sock --timeout 30s',
    },
    {
      description: 'See what a change would give, storing nothing',
      command: '<%= config.bin %> set --dry-run kubernetes.enabled=true',
    },
    {
      description: "Follow a change through the daemon's actors",
      command: '<%= config.bin %> set --trace running=true',
    },
  ];
  static override flags = {
    'dry-run': Flags.boolean({
      description: 'Validate on the daemon and print the resulting App; store nothing',
      default: false,
    }),
    output: resultOutputFlag(['json', 'yaml'] as const, 'progress on stderr only; yaml with --dry-run'),
    timeout: timeoutFlag(300_000, "the daemon's answer and the App to settle"),
    trace: Flags.boolean({
      description:
        "Follow the change through the daemon's actors: print its request id, the actors it passed and each " +
        'transition, event and action it caused on stderr (see rdd inspect --trace)',
      default: false,
    }),
    wait: Flags.boolean({
      default: true,
      allowNo: true,
      description: 'Wait until the change has settled; --no-wait (kubectl: --wait=false) returns once it is accepted',
    }),
  };
  static override strict = false;
  static override usage = 'set PROPERTY=VALUE... [--dry-run] [--no-wait|--wait=false] [--timeout DURATION] [--trace]';

  override async init(): Promise<void> {
    await super.init();
    this.argv = appCommandBooleans(this.argv);
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Set);
    const changes = parseAssignments(argv as string[]);
    // The daemon's own admission, run here first: a refused change never starts a daemon or reaches it.
    checkChanges(changes);
    const context = this.instanceContext(flags);
    const app = await applyAppChanges(context, changes, {
      dryRun: flags['dry-run'],
      wait: flags.wait,
      timeoutMs: flags.timeout,
      ...(flags.trace ? { trace: randomBytes(6).toString('hex') } : {}),
    });
    const output = flags.output ?? (flags['dry-run'] ? 'yaml' : undefined);
    if (output) this.print(renderResult(app, output));
  }
}
