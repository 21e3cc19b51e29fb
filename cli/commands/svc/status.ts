import { RddCommand } from '../../base-command.js';
import { daemonState } from '../../daemon-control.js';
import { outputFlag } from '../../flags.js';
import { renderJson, renderTable, renderYaml } from '../../output.js';
import type { DaemonStatus } from '../../../protocol/api.schema.js';
import { rddVersion } from '../../../host/version.js';

export default class SvcStatus extends RddCommand {
  static override description =
    'Show whether the instance exists and its daemon runs: pid, bus URL, version, how many bus messages, engine events and stored values it rejected as invalid, how many container log streams are open, and each supervised actor with its restarts.';
  static override summary = "Show whether the instance exists and its daemon runs, and the daemon's actors.";
  static override examples = [
    { description: 'Whether the daemon runs, its pid and its actors', command: '<%= config.bin %> svc status' },
    {
      description: 'Only whether it runs, for a script',
      command: '<%= config.bin %> svc status -o json | jq .running',
    },
    { description: 'Another instance as YAML', command: '<%= config.bin %> svc status --instance dev -o yaml' },
  ];
  static override flags = { output: outputFlag(['table', 'json', 'yaml'] as const, 'table') };

  async run(): Promise<void> {
    const { flags } = await this.parse(SvcStatus);
    const context = this.instanceContext(flags);
    const state = await daemonState(context);
    const report = {
      instance: state.instance,
      created: state.created,
      running: state.running,
      pid: state.pid,
      natsUrl: state.natsUrl,
      enginePid: state.status?.enginePid ?? null,
      version: state.status?.version ?? rddVersion(),
      // The same keys whether the daemon runs or not: null where only a running daemon knows.
      startedAt: state.status?.startedAt ?? null,
      children: state.status?.children ?? null,
      rejected: state.status?.rejected ?? null,
      logStreams: state.status?.logStreams ?? null,
    };
    if (flags.output === 'json') return this.print(renderJson(report));
    if (flags.output === 'yaml') return this.print(renderYaml(report));
    const rows = [
      ['instance', report.instance],
      ['created', String(report.created)],
      ['running', String(report.running)],
      ['pid', report.pid === null ? '-' : String(report.pid)],
      ['natsUrl', report.natsUrl ?? '-'],
      ['enginePid', report.enginePid === null ? '-' : String(report.enginePid)],
      ['version', report.version],
      ...(report.rejected ? [['rejected', describeRejected(report.rejected)]] : []),
      ...(report.logStreams === null ? [] : [['logStreams', String(report.logStreams)]]),
    ];
    let text = renderTable(['PROPERTY', 'VALUE'], rows);
    if (state.status) {
      text += `\n${renderTable(
        ['ACTOR', 'RUNNING', 'RESTARTS', 'LAST ERROR'],
        state.status.children.map((child) => [
          `${child.supervisor}/${child.id}`,
          String(child.running),
          String(child.restarts),
          child.lastError ?? '',
        ]),
      )}`;
    }
    this.print(text);
  }
}

/** `0`, or `7 (vm.status 5, store.App 2)`: the total, then each source. */
function describeRejected({ total, bySource }: DaemonStatus['rejected']): string {
  const sources = Object.entries(bySource).map(([source, count]) => `${source} ${count}`);
  return sources.length === 0 ? String(total) : `${total} (${sources.join(', ')})`;
}
