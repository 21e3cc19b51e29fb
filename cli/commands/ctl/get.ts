import { Args, Flags } from '@oclif/core';
import { describeKinds } from '../../../protocol/mirrors/kinds.js';
import { NotFoundError } from '../../../protocol/api-error.js';
import type { Resource, WatchEvent } from '../../../protocol/resource.schema.js';
import { CtlCommand, exitCodesHelp, ignoreNotFoundFlag, selectionFlags } from '../../ctl/ctl-command.js';
import { outputForms, parseOutput, renderList, renderWatchEvent } from '../../ctl/render.js';
import { matchesSelection, namespaceShown, notFound, selectionOf, selectResources } from '../../ctl/selection.js';
import { findByName, parseTargets } from '../../ctl/target.js';
import { UsageError } from '../../exit-codes.js';
import { parseSortBy, sortResources } from '../../kubectl/index.js';
import { resilientWatch } from '../../ctl/watch.js';

export default class CtlGet extends CtlCommand {
  static override description = `Show the App or the engine's mirrors, like kubectl get.

Kinds: ${describeKinds()}; all lists every mirror kind, and several kinds may be given
comma-separated (a JSON list of them is one List). Name an object by its mirror name or, for convenience, by its engine name
(container name or ID prefix, image tag, volume or network name). A list in JSON is {"kind":"List","items":[…]}.
With -w, every change is printed as it happens (one {"type","object"} line each with -o json), and the
watch resumes by itself after a daemon or bus restart.

${exitCodesHelp}`;

  static override usage = [
    'ctl get KIND [NAME…] [FLAGS]',
    'ctl get KIND/NAME… [FLAGS]',
    'ctl get KIND,KIND… [FLAGS]',
    'ctl get all [FLAGS]',
  ];
  static override examples = [
    { description: 'List the containers', command: '<%= config.bin %> ctl get containers' },
    { description: 'One container as YAML', command: '<%= config.bin %> ctl get container/web -o yaml' },
    { description: 'The images with more columns', command: '<%= config.bin %> ctl get images -o wide' },
    {
      description: 'Name and state of each container, tab-separated',
      command: `<%= config.bin %> ctl get containers -o jsonpath='{range .items[*]}{.status.name}{"\\t"}{.status.status}{"\\n"}{end}'`,
    },
    {
      description: "Whether a container's Running condition holds",
      command: `<%= config.bin %> ctl get container web -o jsonpath='{.status.conditions[?(@.type=="Running")].status}'`,
    },
    {
      description: 'The mirror name of an image by its tag',
      command: '<%= config.bin %> ctl get images --field-selector status.repoTag=busybox:latest -o name',
    },
    {
      description: 'Chosen columns for the containers of a compose project',
      command:
        '<%= config.bin %> ctl get containers -l com.docker.compose.project=shop -o custom-columns=NAME:.status.name,STATE:.status.status',
    },
    {
      description: 'The containers, then every change, as JSON',
      command: '<%= config.bin %> ctl get containers -w -o json',
    },
    { description: 'The App', command: '<%= config.bin %> ctl get apps' },
    { description: 'Every mirror, grouped by kind', command: '<%= config.bin %> ctl get all' },
    {
      description: 'Containers and images, oldest first, with their labels',
      command: '<%= config.bin %> ctl get containers,images --sort-by=.metadata.creationTimestamp --show-labels',
    },
  ];

  static override args = {
    target: Args.string({
      description: 'KIND, KIND NAME…, KIND/NAME…, KIND,KIND… or all (KIND may be KIND.GROUP)',
      required: true,
    }),
  };
  static override strict = false;

  static override flags = {
    ...selectionFlags,
    output: Flags.string({ char: 'o', description: `Output format: ${outputForms}` }),
    'ignore-not-found': ignoreNotFoundFlag,
    'sort-by': Flags.string({
      description: 'Order the list by a JSONPath of each object, e.g. .metadata.name or {.status.name}',
    }),
    'show-labels': Flags.boolean({ description: "Add a LABELS column with the engine object's labels" }),
    'no-headers': Flags.boolean({ description: 'Leave the header row out of tables' }),
    watch: Flags.boolean({ char: 'w', description: 'After the list, print every change until interrupted' }),
    'watch-only': Flags.boolean({ description: 'Print changes only, without the current list' }),
    'output-watch-events': Flags.boolean({
      description: 'With --watch: show the event type (ADDED, MODIFIED, DELETED)',
    }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlGet);
    const context = this.instanceContext(flags);
    const targets = parseTargets(argv as string[]);
    const selections = targets.map((target) => selectionOf(target, flags));
    const output = parseOutput(flags.output);
    const sortBy = flags['sort-by'] === undefined ? undefined : parseSortBy(flags['sort-by']);
    const watching = flags.watch || flags['watch-only'];
    if (watching && selections.length > 1) throw new UsageError('-w watches one kind at a time');
    const connection = await this.connect(context, { reconnect: watching });
    if (watching) {
      await this.watch(context, connection, selections[0]!, output, flags);
      return;
    }
    try {
      const items: Resource[] = [];
      const notFoundErrors: Error[] = [];
      for (const selection of selections) {
        const found = await selectResources(connection.store, selection);
        items.push(...(sortBy ? sortResources(found.items, sortBy) : found.items));
        if (found.missing.length > 0) notFoundErrors.push(notFound(selection, found.missing));
      }
      const rendered = renderList(items, output, {
        noHeaders: flags['no-headers'],
        namespace: namespaceShown(selections[0]!),
        now: new Date(),
        single: targets.length === 1 && targets[0]!.names.length === 1,
        showLabels: flags['show-labels'],
        kindPrefix: targets.length > 1,
      });
      this.print(rendered.stdout);
      if (rendered.stderr && notFoundErrors.length === 0) process.stderr.write(rendered.stderr);
      if (notFoundErrors.length > 0 && !flags['ignore-not-found']) {
        throw new NotFoundError(notFoundErrors.map((error) => error.message).join('\n'));
      }
    } finally {
      await connection.nc.close();
    }
  }

  private async watch(
    context: ReturnType<CtlGet['instanceContext']>,
    connection: Awaited<ReturnType<CtlGet['connect']>>,
    selection: ReturnType<typeof selectionOf>,
    output: ReturnType<typeof parseOutput>,
    flags: { 'watch-only': boolean; 'output-watch-events': boolean },
  ): Promise<void> {
    const aborter = new AbortController();
    const stop = (): void => aborter.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let synced = false;
    let first = true;
    // Names resolve once against the current objects: a watch follows those objects, not new namesakes.
    const wanted = new Set<string>();
    if (selection.target.names.length > 0) {
      const all = await connection.store.list(selection.target.info.kind);
      for (const name of selection.target.names) {
        const found = findByName(all, name);
        if (!found) throw notFound(selection, [name]);
        wanted.add(found.metadata.name);
      }
    }
    const show = (event: WatchEvent): void => {
      if (wanted.size > 0 && !wanted.has(event.object.metadata.name)) return;
      if (event.type !== 'DELETED' && !matchesSelection(event.object, selection)) return;
      if (flags['watch-only'] && !synced) return;
      this.print(renderWatchEvent(event, output, { withType: flags['output-watch-events'], first, now: new Date() }));
      first = false;
    };
    for await (const event of resilientWatch({
      instance: context.instance,
      paths: context.paths,
      kind: selection.target.info.kind,
      signal: aborter.signal,
      progress: (line) => this.logToStderr(line),
      onSynced: () => (synced = true),
      first: connection,
    })) {
      show(event);
    }
  }
}
