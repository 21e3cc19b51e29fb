import { Flags } from '@oclif/core';
import { containerActionAnnotation } from '../../../protocol/mirrors/container.schema.js';
import { parseObjects, readInput, storedFor } from '../../ctl/apply/documents.js';
import { bareDryRunIsClient, renderOutcomes, writeFlags } from '../../ctl/apply/flags.js';
import { performWrite, type Outcome } from '../../ctl/apply/perform.js';
import { planWrite, writableParts } from '../../ctl/apply/plan.js';
import { CtlCommand, selectionFlags } from '../../ctl/ctl-command.js';

export default class CtlApply extends CtlCommand {
  static override summary = "Change containers' spec.state and the App's spec from YAML or JSON, as kubectl apply.";
  static override description = `Each object in the file (several YAML documents, or a kubectl List) names a stored object by kind
and metadata.name; what it sets is compared with what is stored. ${writableParts[0]!.toUpperCase()}${writableParts.slice(1)}.
Parts left out are left as they are; parts equal to the stored ones are fine, so the output of
rdd ctl get -o yaml applies back after an edit. Anything else that differs (status, other metadata,
an image's spec) is refused with exit 3 naming the field: kubectl would ignore a status silently.

The App's spec goes through the admission of rdd set, and a container's spec.state that of rdd ctl
state, with the same messages; ${containerActionAnnotation} runs an action as rdd ctl annotate does.
Every object is checked before any is changed. Nothing waits: follow with rdd ctl wait.

Exit codes: 0 applied, 2 bad usage or unreadable input, 3 rejected (kubectl exits 1), 1 other failures.`;

  static override usage = ['ctl apply -f FILE [--dry-run=server|client|none] [-o json|yaml|name]', 'ctl apply -f -'];
  static override examples = [
    {
      description: 'Stop a container by editing its spec.state (rdd keeps it stopped)',
      command:
        "<%= config.bin %> ctl get container/web -o yaml | sed 's/state: running/state: created/' | <%= config.bin %> ctl apply -f -",
    },
    { description: 'Apply a file holding the App', command: '<%= config.bin %> ctl apply -f app.yaml' },
    {
      description: 'See what the daemon would make of it, storing nothing',
      command: '<%= config.bin %> ctl apply -f app.yaml --dry-run=server -o yaml',
    },
  ];
  static override flags = {
    filename: Flags.string({
      char: 'f',
      description: 'The YAML or JSON to apply; - reads standard input',
      required: true,
    }),
    namespace: selectionFlags.namespace,
    ...writeFlags,
  };

  override async init(): Promise<void> {
    await super.init();
    this.argv = bareDryRunIsClient(this.argv);
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(CtlApply);
    const source = flags.filename === '-' ? 'standard input' : flags.filename;
    const objects = parseObjects(await readInput(flags.filename), source);
    const dryRun = flags['dry-run'];
    const { nc, store, api } = await this.connect(this.instanceContext(flags));
    try {
      // All checked before any is changed: a refused object leaves the others unchanged too.
      const writes = [];
      for (const object of objects) {
        const stored = await storedFor(store, object, flags.namespace);
        writes.push({ stored, write: planWrite(stored, object, 'unchanged') });
      }
      const outcomes: Outcome[] = [];
      for (const { stored, write } of writes) outcomes.push(await performWrite(api, stored, write, dryRun));
      this.print(renderOutcomes(outcomes, 'apply', dryRun, flags.output));
    } finally {
      await nc.close();
    }
  }
}
