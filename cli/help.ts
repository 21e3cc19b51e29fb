/**
 * rdd's help (oclif's `helpClass`): oclif's own, plus examples for `rdd --help` and for each topic
 * (`rdd ctl --help`), which oclif only has for commands. Rendered by oclif's formatter, so topic and
 * command examples look alike.
 */
import { CommandHelp, Help, type Command, type Interfaces } from '@oclif/core';

export interface HelpExample {
  description: string;
  command: string;
}

/** Examples of the whole CLI (`rdd --help`), by topic id ('' for the root); every line runs as it is. */
export const topicExamples: Readonly<Record<string, readonly HelpExample[]>> = {
  '': [
    {
      description: 'Start the container engine (and the daemon) and wait until it runs',
      command: '<%= config.bin %> start',
    },
    { description: "Run the docker CLI against this instance's engine", command: '<%= config.bin %> run docker ps' },
    { description: 'Show the App: its spec and conditions', command: '<%= config.bin %> get' },
    { description: 'List the containers the engine holds', command: '<%= config.bin %> ctl get containers' },
    { description: 'Watch every change as it happens', command: '<%= config.bin %> watch' },
    { description: 'Is the daemon running, and which pid?', command: '<%= config.bin %> svc status' },
    { description: 'Stop the engine', command: '<%= config.bin %> stop' },
    {
      description: 'Complete commands, kinds and names in bash',
      command: 'source <(<%= config.bin %> completion bash)',
    },
    { description: 'Help on one command of a topic', command: '<%= config.bin %> help ctl get' },
  ],
  ctl: [
    { description: 'List the containers', command: '<%= config.bin %> ctl get containers' },
    { description: 'One container as YAML', command: '<%= config.bin %> ctl get container/web -o yaml' },
    {
      description: 'Everything rdd knows about a container, for people',
      command: '<%= config.bin %> ctl describe container web',
    },
    {
      description: 'Keep a container running (rdd restarts it)',
      command: '<%= config.bin %> ctl state container/web running',
    },
    { description: 'Restart a container once', command: '<%= config.bin %> ctl action container/web restart' },
    {
      description: 'Wait until the App has settled',
      command: '<%= config.bin %> ctl wait app/app --for=condition=Settled --timeout=2m',
    },
    {
      description: 'Remove the exited containers',
      command: '<%= config.bin %> ctl delete containers --field-selector status.status=exited',
    },
  ],
  svc: [
    { description: 'Start the daemon in the background (not the engine)', command: '<%= config.bin %> svc start' },
    { description: 'Is the daemon running?', command: '<%= config.bin %> svc status -o json' },
    { description: "Follow the daemon's log", command: '<%= config.bin %> svc logs -f' },
    { description: 'Where the instance keeps its files', command: '<%= config.bin %> svc paths' },
    { description: 'Stop the daemon', command: '<%= config.bin %> svc stop' },
    {
      description: "Remove an instance's state, keeping its containers and images",
      command: '<%= config.bin %> svc delete --instance scratch',
    },
  ],
  machines: [
    { description: 'The state machines rdd runs', command: '<%= config.bin %> machines list' },
    {
      description: 'One machine as a mermaid diagram',
      command: '<%= config.bin %> machines export vm --format mermaid',
    },
    {
      description: 'One machine for the Stately visualizer',
      command: '<%= config.bin %> machines export container > container.json',
    },
  ],
};

/** oclif's command help, used only for its EXAMPLES formatting. */
class ExamplesFormatter extends CommandHelp {
  format(examples: readonly HelpExample[]): string | undefined {
    return this.examples([...examples]);
  }
}

export default class RddHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.showExamples('');
  }

  protected override async showTopicHelp(topic: Interfaces.Topic): Promise<void> {
    await super.showTopicHelp(topic);
    this.showExamples(topic.name);
  }

  private showExamples(topic: string): void {
    const examples = topicExamples[topic];
    if (!examples || examples.length === 0) return;
    // oclif formats examples only for a command; a stand-in command borrows its formatter.
    const standIn = { id: topic, flags: {}, args: {}, examples } as unknown as Command.Loadable;
    const body = new ExamplesFormatter(standIn, this.config, this.opts).format(examples);
    if (body) this.log(`${this.section('EXAMPLES', body)}\n`);
  }
}
