import { CtlCommand, exitCodesHelp, ignoredNamespaceFlag } from '../../ctl/ctl-command.js';
import { outputFlag } from '../../flags.js';
import { apiResources, renderApiResources } from '../../kubectl/api-resources.js';
import { renderResult } from '../../output.js';

export default class CtlApiResources extends CtlCommand {
  static override description = `List the kinds rdd serves, like kubectl api-resources.

Every NAME and SHORTNAME is accepted wherever a kind is (ctl get, wait, delete, …), and so is
KIND.GROUP, the form -o name prints. Needs no running daemon.

${exitCodesHelp}`;

  static override usage = ['ctl api-resources [FLAGS]'];
  static override examples = [
    { description: 'The kinds, their short names and API versions', command: '<%= config.bin %> ctl api-resources' },
    { description: 'With the verbs each kind supports', command: '<%= config.bin %> ctl api-resources -o wide' },
    { description: 'Every qualified kind, one a line', command: '<%= config.bin %> ctl api-resources -o name' },
  ];
  static override flags = {
    output: outputFlag(['table', 'wide', 'name', 'json', 'yaml'] as const, 'table'),
    namespace: ignoredNamespaceFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CtlApiResources);
    const resources = apiResources();
    if (flags.output === 'json' || flags.output === 'yaml') {
      this.print(renderResult({ apiVersion: 'v1', kind: 'List', items: resources }, flags.output));
    } else this.print(renderApiResources(resources, flags.output));
  }
}
