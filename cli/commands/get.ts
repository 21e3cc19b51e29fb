import { RddCommand } from '../base-command.js';
import { readFromDaemon } from '../daemon-control.js';
import { outputFlag } from '../flags.js';
import { renderJson, renderTable, renderYaml } from '../output.js';

export default class Get extends RddCommand {
  static override description =
    'Show the App: its spec and the conditions the daemon reports (Running, ContainerEngineReady, Settled, …). A read: it needs a running daemon and never starts one (rdd svc start, or rdd start for the engine too).';
  static override summary = 'Show the App: its spec and the conditions the daemon reports.';
  static override examples = [
    { description: 'Show the App: its spec and conditions', command: '<%= config.bin %> get' },
    { description: 'The App as YAML', command: '<%= config.bin %> get -o yaml' },
    {
      description: 'Whether the App has settled, for a script',
      command: `<%= config.bin %> get -o json | jq -r '.status.conditions[] | select(.type=="Settled") | .status'`,
    },
  ];
  static override flags = { output: outputFlag(['table', 'json', 'yaml'] as const, 'table') };

  async run(): Promise<void> {
    const { flags } = await this.parse(Get);
    const context = this.instanceContext(flags);
    const app = await readFromDaemon(context, 'app.get', {});
    if (flags.output === 'json') return this.print(renderJson(app));
    if (flags.output === 'yaml') return this.print(renderYaml(app));
    const { spec } = app;
    let text = renderTable(
      ['NAME', 'RUNNING', 'DRIVER', 'ENGINE', 'GENERATION'],
      [
        [
          app.metadata.name,
          String(spec.running),
          spec.vm.driver,
          spec.containerEngine.name,
          String(app.metadata.generation ?? ''),
        ],
      ],
    );
    // The socket the engine really answers on (spec.vm.socket only says where an external one is).
    const engineSocket = app.status.vm?.socket;
    if (engineSocket) {
      text += `\n${renderTable(['ENGINE SOCKET', 'DOCKER CONTEXT'], [[engineSocket, app.status.vm?.dockerContext ?? '']])}`;
    }
    text += `\n${renderTable(
      ['CONDITION', 'STATUS', 'REASON', 'GEN', 'MESSAGE'],
      app.status.conditions.map((condition) => [
        condition.type,
        condition.status,
        condition.reason,
        String(condition.observedGeneration),
        condition.message,
      ]),
    )}`;
    this.print(text);
  }
}
