import { Args } from '@oclif/core';
import { describeKinds, resolveKind } from '../../../protocol/mirrors/kinds.js';
import { CtlCommand, exitCodesHelp, ignoredNamespaceFlag } from '../../ctl/ctl-command.js';
import { UsageError } from '../../exit-codes.js';
import { explain } from '../../kubectl/explain.js';

export default class CtlExplain extends CtlCommand {
  static override description = `Describe a kind or one of its fields, like kubectl explain.

Generated from the schemas rdd validates with, so the types and valid values are exactly what rdd
accepts. Kinds: ${describeKinds()}. Needs no running daemon.

${exitCodesHelp}`;

  static override usage = ['ctl explain KIND[.FIELD…] [FLAGS]'];
  static override examples = [
    { description: 'What a Container mirror holds', command: '<%= config.bin %> ctl explain container' },
    {
      description: 'The states rdd can keep a container in',
      command: '<%= config.bin %> ctl explain container.spec.state',
    },
    { description: "The App's VM settings", command: '<%= config.bin %> ctl explain app.spec.vm' },
  ];
  static override flags = { namespace: ignoredNamespaceFlag };
  static override args = {
    field: Args.string({ description: 'KIND, or KIND.FIELD.PATH such as container.spec.state', required: true }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(CtlExplain);
    const [kind = '', ...path] = args.field.split('.');
    if (path.some((segment) => segment === '')) {
      throw new UsageError(`"${args.field}" has an empty field name; write e.g. container.spec.state`);
    }
    this.print(explain(resolveKind(kind), path));
  }
}
