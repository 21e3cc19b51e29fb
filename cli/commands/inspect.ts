import { Args, Flags } from '@oclif/core';
import { ApiClient } from '../../client/api-client.js';
import { ApiError, describeError } from '../../protocol/api-error.js';
import type { InspectionEvent } from '../../protocol/inspection.schema.js';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import { RddCommand } from '../base-command.js';
import { outputFlag } from '../flags.js';
import { renderJson } from '../output.js';
import { connectInspector, notRunningMessage } from '../inspect/connect.js';
import { inspectionFilter, matchesGlob, selectedTypes } from '../inspect/filter.js';
import { formatInspection, formatSupervision } from '../inspect/format.js';
import { followInspection } from '../inspect/live.js';
import { followSupervision } from '../inspect/supervision-feed.js';
import { renderTree, supervisionTree } from '../inspect/tree.js';

const live = ['events', 'states', 'actions', 'trace'];

export default class Inspect extends RddCommand {
  static override args = {
    actor: Args.string({
      description:
        'Only actors whose id matches this glob (* and ?): app, vm, engine, container:<id12>, and invoked ' +
        'children as <actor>/<child>, e.g. engine*, container:*; with --supervision, <supervisor>/<child>',
    }),
  };
  static override description = `Watch the daemon's actors live: every transition (and, on request, every event received and every action run), as it happens.

The daemon publishes inspection messages only while someone watches (this command renews a lease every few
seconds). Text output prints one line per message; -o json prints each inspection message as it is, one per
line. --tree shows the supervision tree once: each supervised child, its current state, whether it runs, its
restarts and last error. --supervision replays the latest supervision telemetry (starts, crashes, restarts,
stops, escalations), then follows it. Never starts the daemon; runs until Ctrl-C.`;
  static override examples = [
    { description: "Every actor's transitions, live", command: '<%= config.bin %> inspect' },
    { description: 'The events the engine actor receives', command: '<%= config.bin %> inspect engine --events' },
    {
      description: 'Events and actions of every container actor',
      command: "<%= config.bin %> inspect 'container:*' --events --actions",
    },
    {
      description: 'Everything one request caused (rdd set --trace prints its id)',
      command: '<%= config.bin %> inspect --trace 3f9c0a1b2d4e --events --states --actions',
    },
    {
      description: "The vm actor's messages as JSON lines",
      command: '<%= config.bin %> inspect -o json | jq -c "select(.actor==\\"vm\\")"',
    },
    { description: 'The supervision tree, once', command: '<%= config.bin %> inspect --tree' },
    {
      description: 'The last 20 supervision messages, then new ones',
      command: '<%= config.bin %> inspect --supervision --last 20',
    },
  ];
  static override flags = {
    actions: Flags.boolean({ description: 'Show the actions each actor runs (▸)' }),
    all: Flags.boolean({ description: "With --events or --actions: also XState's internal xstate.* events" }),
    events: Flags.boolean({ description: 'Show the events each actor receives (←)' }),
    last: Flags.integer({
      description: 'With --supervision: how many stored messages to replay before following',
      default: 50,
      min: 0,
    }),
    output: outputFlag(['text', 'json'] as const, 'text'),
    states: Flags.boolean({
      description: 'Show the transitions, and actors starting and stopping (the default without --events or --actions)',
    }),
    supervision: Flags.boolean({
      description: 'Replay then follow the supervision telemetry instead',
      exclusive: ['tree', ...live],
    }),
    trace: Flags.string({ description: 'Only messages caused by this request id (rdd set --trace prints one)' }),
    tree: Flags.boolean({
      description: "Show the supervision tree with each actor's state once, and exit",
      exclusive: live,
    }),
  };
  static override summary = "Watch the daemon's actors: transitions, events and actions, live.";

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Inspect);
    const context = this.instanceContext(flags);
    const nc = await connectInspector(context);
    const aborter = new AbortController();
    const abort = (): void => aborter.abort();
    process.once('SIGINT', abort);
    process.once('SIGTERM', abort);
    try {
      if (flags.tree) {
        const status = await new ApiClient(nc, context.instance).request('svc.status', {}, 5_000).catch((error) => {
          throw error instanceof ApiError && error.code === 'Unavailable'
            ? new ApiError('Unavailable', notRunningMessage(context.instance))
            : error;
        });
        const tree = supervisionTree(status);
        return this.print(flags.output === 'json' ? renderJson(tree) : renderTree(tree));
      }
      const json = flags.output === 'json';
      if (flags.supervision) {
        await followSupervision(nc, {
          instance: context.instance,
          last: flags.last,
          signal: aborter.signal,
          onEvent: (event: SupervisionEvent) => {
            if (!matchesGlob(args.actor, `${event.supervisor}/${event.child}`)) return;
            this.print(json ? `${JSON.stringify(event)}\n` : `${formatSupervision(event)}\n`);
          },
          progress: (line) => this.logToStderr(line),
          onReady: () => this.logToStderr(`Following the supervision of instance ${context.instance} (Ctrl-C to stop)`),
        });
        return;
      }
      const types = selectedTypes(flags);
      await followInspection(nc, {
        instance: context.instance,
        keep: inspectionFilter({
          types,
          ...(args.actor ? { actor: args.actor } : {}),
          ...(flags.trace ? { trace: flags.trace } : {}),
          internal: flags.all,
        }),
        onMessage: (message: InspectionEvent) =>
          this.print(json ? `${JSON.stringify(message)}\n` : `${formatInspection(message)}\n`),
        progress: (line) => this.logToStderr(line),
        signal: aborter.signal,
        onReady: () =>
          this.logToStderr(
            `Inspecting ${args.actor ? `actors matching ${args.actor}` : 'every actor'} of instance ` +
              `${context.instance}: ${[...types].join(', ')}${flags.trace ? ` of trace ${flags.trace}` : ''} (Ctrl-C to stop)`,
          ),
      });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new Error(`failed to inspect instance ${context.instance}: ${describeError(error)}`, { cause: error });
    } finally {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
      await nc.close().catch(() => undefined);
    }
  }
}
