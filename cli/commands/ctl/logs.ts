import { Args, Flags } from '@oclif/core';
import { ApiError, NotFoundError } from '../../../protocol/api-error.js';
import type { LogEnd } from '../../../protocol/mirrors/logs.schema.js';
import { CtlCommand, kubectlBooleans } from '../../ctl/ctl-command.js';
import { logsTargetWords, parseSince, parseTail } from '../../ctl/logs-options.js';
import { openLogReading, type LogReading } from '../../ctl/logs-reader.js';
import { resolveOne } from '../../ctl/resolve.js';
import { interruptedExitCode } from '../../interrupt.js';

export default class CtlLogs extends CtlCommand {
  static override description = `Print a container's logs, streamed from the engine through the daemon.

The container's stdout and stderr come out on rdd's own stdout and stderr (a container with a TTY has one stream, printed on stdout). With --follow, rdd prints new lines as they come and exits 0 when the container stops; Ctrl-C stops reading and exits 130. A bare NAME is a container, the only kind with logs.

Exit codes: 1 when the logs cannot be read, 2 for a bad flag, 3 when the daemon rejects the request (kubectl uses 1 for both).`;
  static override usage = ['ctl logs container/NAME [FLAGS]', 'ctl logs NAME [FLAGS]'];
  static override examples = [
    { description: 'Every line a container logged so far', command: '<%= config.bin %> ctl logs container/web' },
    {
      description: 'The last 20 lines, then new ones as they come',
      command: '<%= config.bin %> ctl logs web --tail 20 -f',
    },
    {
      description: 'The last five minutes, with the engine’s timestamps',
      command: '<%= config.bin %> ctl logs container/web --since 5m --timestamps',
    },
    {
      description: 'Only what the container wrote to stderr',
      command: '<%= config.bin %> ctl logs web 2>&1 >/dev/null',
    },
  ];
  static override args = {
    target: Args.string({
      description: 'container/NAME, container NAME or NAME (a name, Docker name or ID prefix)',
      required: true,
    }),
  };
  static override strict = false;
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'Keep printing new lines until the container stops' }),
    tail: Flags.string({ description: 'Only the last N lines; -1 for all [default: -1]' }),
    since: Flags.string({ description: 'Only lines since a duration ago (5s, 2m, 3h) or an RFC 3339 time' }),
    timestamps: Flags.boolean({ description: 'Prefix every line with the engine’s RFC 3339 timestamp' }),
    namespace: Flags.string({
      char: 'n',
      description: 'Namespace of the container [default: rancher-desktop]',
    }),
  };

  /** kubectl scripts write `--follow=true`, `--timestamps=false`. */
  override async init(): Promise<void> {
    await super.init();
    this.argv = kubectlBooleans(this.argv, ['follow', 'timestamps'], []);
  }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(CtlLogs);
    const words = logsTargetWords(argv as string[]);
    const request = {
      follow: flags.follow,
      tail: flags.tail === undefined ? -1 : parseTail(flags.tail),
      since: flags.since === undefined ? 0 : parseSince(flags.since, new Date()),
      timestamps: flags.timestamps,
    };
    const context = this.instanceContext(flags);
    const { nc, store, api } = await this.connect(context);
    let reading: LogReading | null = null;
    const stop = (code: number): void => {
      void (reading?.cancel() ?? Promise.resolve()).finally(() => nc.close()).finally(() => process.exit(code));
    };
    const onInterrupt = (): void => stop(interruptedExitCode);
    // A closed pipe (`| head`) is a reader that has read enough, not a failure.
    const onOutputError = (error: NodeJS.ErrnoException): void => stop(error.code === 'EPIPE' ? 0 : 1);
    process.once('SIGINT', onInterrupt);
    process.stdout.on('error', onOutputError);
    try {
      const { resource } = await resolveOne(store, words, ['Container']);
      const namespace = flags.namespace || undefined;
      if (namespace && resource.metadata.namespace !== namespace) {
        throw new NotFoundError(`container "${words.at(-1) ?? ''}" not found in namespace "${namespace}"`);
      }
      const name = resource.metadata.name;
      reading = await openLogReading({
        nc,
        api,
        instance: context.instance,
        name,
        request,
        stdout: process.stdout,
        stderr: process.stderr,
      });
      failIfBroken(name, await reading.done);
    } finally {
      process.removeListener('SIGINT', onInterrupt);
      process.stdout.removeListener('error', onOutputError);
      await nc.close();
    }
  }
}

/** A stream that ended for any reason but having sent what was asked for is a failure. */
function failIfBroken(name: string, end: LogEnd): void {
  if (end.reason === 'complete' || end.reason === 'container-stopped') return;
  if (end.error) throw ApiError.fromBody(end.error);
  const why: Record<string, string> = {
    cancelled: 'the log stream was cancelled',
    'reader-gone': 'the daemon stopped the log stream: it heard nothing from this reader for too long',
    'engine-gone': 'the connection to the container engine ended',
    failed: "the engine's log stream failed",
  };
  throw new ApiError('Unavailable', `logs of container ${name}: ${why[end.reason] ?? end.reason}`);
}
