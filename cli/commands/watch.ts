import { Flags } from '@oclif/core';
import { resolveKind } from '../../protocol/mirrors/kinds.js';
import type { WatchEvent } from '../../protocol/resource.schema.js';
import { CtlCommand } from '../ctl/ctl-command.js';
import { summaryOf } from '../ctl/summary.js';
import { resilientWatch } from '../ctl/watch.js';
import { outputFlag } from '../flags.js';

export default class Watch extends CtlCommand {
  static override description = `Watch the App and every mirror live: what is there now, then each change as it happens.

A person's view: one line per change, showing what changed (a container's state, its desired state,
a failed action, an image or volume appearing or going). Changes that only refresh a timestamp are
left out. For scripts, -o json prints every change as {"type","object"}, one per line. The watch
resumes by itself after a daemon or bus restart; stop it with Ctrl-C.`;
  static override examples = [
    { description: 'Every change, one line each, until Ctrl-C', command: '<%= config.bin %> watch' },
    { description: 'Only the containers', command: '<%= config.bin %> watch --kind container' },
    {
      description: 'Each container change as JSON, for a script',
      command:
        '<%= config.bin %> watch -o json | jq -c "select(.object.kind==\\"Container\\") | [.type, .object.status.name]"',
    },
  ];
  static override flags = {
    output: outputFlag(['text', 'json'] as const, 'text'),
    kind: Flags.string({
      description: 'Only this kind (app, container, image, volume, network, cns, or their plurals)',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Watch);
    const context = this.instanceContext(flags);
    const connection = await this.connect(context, { reconnect: true });
    const aborter = new AbortController();
    process.once('SIGINT', () => aborter.abort());
    process.once('SIGTERM', () => aborter.abort());
    const seen = new Map<string, string>();
    let synced = false;
    const initial: WatchEvent[] = [];
    const time = (): string => new Date().toISOString().slice(11, 23);
    const line = (event: WatchEvent): void => {
      const { object } = event;
      const key = `${object.kind}/${object.metadata.name}`;
      const summary = summaryOf(object);
      const before = seen.get(key);
      if (event.type === 'DELETED') seen.delete(key);
      else seen.set(key, summary);
      if (event.type === 'MODIFIED' && before === summary) return;
      const change = event.type === 'MODIFIED' && before !== undefined ? `${before} → ${summary}` : summary;
      this.print(`${time()}  ${event.type.padEnd(8)}  ${object.kind.padEnd(18)}  ${change}\n`);
    };
    const showInitial = (): void => {
      synced = true;
      if (flags.output === 'json') return;
      const counts = new Map<string, number>();
      for (const event of initial) {
        seen.set(`${event.object.kind}/${event.object.metadata.name}`, summaryOf(event.object));
        counts.set(event.object.kind, (counts.get(event.object.kind) ?? 0) + 1);
        if (event.object.kind === 'App') this.print(`${time()}  App: ${summaryOf(event.object)}\n`);
      }
      const listed = [...counts].filter(([kind]) => kind !== 'App').map(([kind, n]) => `${n} ${kind}`);
      this.print(`${time()}  mirrors: ${listed.join(', ') || 'none'}; watching for changes (Ctrl-C to stop)\n`);
    };
    for await (const event of resilientWatch({
      instance: context.instance,
      paths: context.paths,
      ...(flags.kind ? { kind: resolveKind(flags.kind).kind } : {}),
      signal: aborter.signal,
      progress: (text) => this.logToStderr(text),
      onSynced: showInitial,
      first: connection,
    })) {
      if (flags.output === 'json') this.print(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
      else if (!synced) initial.push(event);
      else line(event);
    }
  }
}
