import { Args, Flags } from '@oclif/core';
import { containerActionAnnotation } from '../../../protocol/mirrors/container.schema.js';
import { bareDryRunIsClient, renderOutcomes, writeFlags } from '../../ctl/apply/flags.js';
import { checkPatchType, patched, patchTypes } from '../../ctl/apply/patches.js';
import { performWrite } from '../../ctl/apply/perform.js';
import { planWrite, writableParts } from '../../ctl/apply/plan.js';
import { CtlCommand, selectionFlags } from '../../ctl/ctl-command.js';
import { resolveOne } from '../../ctl/resolve.js';

export default class CtlPatch extends CtlCommand {
  static override summary =
    "Change a container's spec.state or the App's spec with a merge or JSON patch, as kubectl patch.";
  static override description = `The patch applies to the stored object; what it changes is then checked as rdd ctl apply checks a
file: ${writableParts}. A field the patch removes is reset (the App's property to its default, spec.state
to unknown). Anything else it changes is refused with exit 3 naming the field.

--type merge (the default here) is a JSON merge patch (RFC 7386); --type json a JSON patch (RFC 6902),
whose test operations can make the change conditional. kubectl's default, strategic, is refused: it
needs Kubernetes' schemas. The App's spec goes through the admission of rdd set and a container's
spec.state that of rdd ctl state, with the same messages; ${containerActionAnnotation} runs an action.

Exit codes: 0 patched, 2 bad usage or a malformed patch, 3 rejected (kubectl exits 1), 1 other failures.`;

  static override usage = [
    'ctl patch KIND/NAME -p PATCH [--type merge|json] [--dry-run=server|client|none] [-o json|yaml|name]',
    'ctl patch KIND NAME -p PATCH [FLAGS]',
  ];
  static override examples = [
    {
      description: 'Keep a container running',
      command: `<%= config.bin %> ctl patch container/web -p '{"spec":{"state":"running"}}'`,
    },
    {
      description: 'Stop the engine with a JSON patch',
      command: `<%= config.bin %> ctl patch app/app --type json -p '[{"op":"replace","path":"/spec/running","value":false}]'`,
    },
    {
      description: 'See the App a change would give, storing nothing',
      command: `<%= config.bin %> ctl patch app app -p '{"spec":{"containerEngine":{"mirrorImages":false}}}' --dry-run=server -o yaml`,
    },
  ];
  static override args = {
    target: Args.string({ description: 'KIND/NAME (or KIND NAME): a container or the App', required: true }),
  };
  static override strict = false;
  static override flags = {
    namespace: selectionFlags.namespace,
    patch: Flags.string({ char: 'p', description: 'The patch, JSON (or YAML)', required: true }),
    type: Flags.string({
      description: `The patch's type, one of ${patchTypes.join(', ')} [default: merge]`,
      default: 'merge',
    }),
    ...writeFlags,
  };

  override async init(): Promise<void> {
    await super.init();
    this.argv = bareDryRunIsClient(this.argv);
  }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlPatch);
    const type = checkPatchType(flags.type);
    const dryRun = flags['dry-run'];
    const { nc, store, api } = await this.connect(this.instanceContext(flags));
    try {
      const { resource: stored } = await resolveOne(store, argv as string[]);
      const write = planWrite(stored, patched(stored, flags.patch, type), 'reset');
      const outcome = await performWrite(api, stored, write, dryRun);
      this.print(renderOutcomes([outcome], 'patch', dryRun, flags.output));
    } finally {
      await nc.close();
    }
  }
}
