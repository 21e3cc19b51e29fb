import { Args, Flags } from '@oclif/core';
import { describeKinds } from '../../../protocol/mirrors/kinds.js';
import type { WatchEvent } from '../../../protocol/resource.schema.js';
import { CtlCommand, exitCodesHelp, ignoreNotFoundFlag, selectionFlags } from '../../ctl/ctl-command.js';
import { outputForms, parseOutput, renderList, renderWatchEvent } from '../../ctl/render.js';
import { matchesSelection, namespaceShown, notFound, selectionOf, selectResources } from '../../ctl/selection.js';
import { findByName, parseTarget } from '../../ctl/target.js';
import { resilientWatch } from '../../ctl/watch.js';

export default class CtlGet extends CtlCommand {
  static override description = `Show the App or the engine's mirrors, like kubectl get.

Kinds: ${describeKinds()}. Name an object by its mirror name or, for convenience, by its engine name
(container name or ID prefix, image tag, volume or network name). A list in JSON is {"kind":"List","items":[…]}.
With -w, every change is printed as it happens (one {"type","object"} line each with -o json), and the
watch resumes by itself after a daemon or bus restart.

${exitCodesHelp}`;

  static override usage = ['ctl get KIND [NAME…] [FLAGS]', 'ctl get KIND/NAME… [FLAGS]'];
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
  ];

  static override args = {
    target: Args.string({ description: 'KIND, KIND NAME… or KIND/NAME…', required: true }),
  };
  static override strict = false;

  static override flags = {
    ...selectionFlags,
    output: Flags.string({ char: 'o', description: `Output format: ${outputForms}` }),
    'ignore-not-found': ignoreNotFoundFlag,
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
    const target = parseTarget(argv as string[]);
    const selection = selectionOf(target, flags);
    const output = parseOutput(flags.output);
    const connection = await this.connect(context, { reconnect: flags.watch || flags['watch-only'] });
    if (flags.watch || flags['watch-only']) {
      await this.watch(context, connection, selection, output, flags);
      return;
    }
    try {
      const { items, missing } = await selectResources(connection.store, selection);
      const rendered = renderList(items, output, {
        noHeaders: flags['no-headers'],
        namespace: namespaceShown(selection),
        now: new Date(),
        single: target.names.length === 1,
      });
      this.print(rendered.stdout);
      if (rendered.stderr && missing.length === 0) process.stderr.write(rendered.stderr);
      if (missing.length > 0 && !flags['ignore-not-found']) throw notFound(selection, missing);
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
