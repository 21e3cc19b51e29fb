import { Args } from '@oclif/core';
import { CtlCommand, exitCodesHelp, selectionFlags } from '../../ctl/ctl-command.js';
import { notFound, selectionOf, selectResources } from '../../ctl/selection.js';
import { parseTarget } from '../../ctl/target.js';
import { describeResource, noResourcesMessage } from '../../kubectl/index.js';

export default class CtlDescribe extends CtlCommand {
  static override description = `Show objects in detail, for people: labels, spec, status, conditions, the last action.

For scripts, use rdd ctl get -o json or -o jsonpath instead.

${exitCodesHelp}`;
  static override usage = ['ctl describe KIND [NAME…] [FLAGS]', 'ctl describe KIND/NAME… [FLAGS]'];
  static override examples = [
    { description: 'One container in detail', command: '<%= config.bin %> ctl describe container/web' },
    {
      description: 'The images with a label',
      command: '<%= config.bin %> ctl describe images -l org.opencontainers.image.vendor=acme',
    },
    { description: 'The App', command: '<%= config.bin %> ctl describe app app' },
  ];
  static override args = {
    target: Args.string({ description: 'KIND, KIND NAME… or KIND/NAME…', required: true }),
  };
  static override strict = false;
  static override flags = { ...selectionFlags };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlDescribe);
    const context = this.instanceContext(flags);
    const selection = selectionOf(parseTarget(argv as string[]), flags);
    const { nc, store } = await this.connect(context);
    try {
      const { items, missing } = await selectResources(store, selection);
      const now = new Date();
      this.print(items.map((item) => describeResource(item, now)).join('\n\n'));
      if (items.length > 0) this.print('\n');
      if (missing.length > 0) throw notFound(selection, missing);
      if (items.length === 0) process.stderr.write(noResourcesMessage(selection.namespace));
    } finally {
      await nc.close();
    }
  }
}
