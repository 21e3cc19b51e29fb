import { spawn } from 'node:child_process';
import path from 'node:path';
import { RddCommand } from '../../base-command.js';

export default class SvcRun extends RddCommand {
  static override description =
    'Run the rdd daemon of an instance in the foreground, logging to stderr as well as to its log file. ' +
    'For debugging and for service managers (systemd, launchd); Ctrl-C stops it in order.';
  static override summary = 'Run the rdd daemon of an instance in the foreground.';
  static override examples = [
    { description: 'Run the daemon in the foreground until Ctrl-C', command: '<%= config.bin %> svc run' },
    {
      description: 'Another instance, logging everything',
      command: '<%= config.bin %> svc run --instance dev --log-level debug',
    },
  ];

  async run(): Promise<void> {
    const { flags } = await this.parse(SvcRun);
    const context = this.instanceContext(flags);
    const daemon = spawn(
      process.execPath,
      [
        path.join(context.root, 'bin', 'rdd-daemon'),
        '--foreground',
        '--instance',
        context.instance,
        '--log-level',
        context.logLevel,
      ],
      { stdio: 'inherit' },
    );
    // The daemon shares our terminal's process group and gets Ctrl-C itself; a signal sent to this
    // process alone (a service manager's) is passed on.
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => daemon.kill(signal));
    process.on('SIGINT', () => {});
    const code = await new Promise<number>((resolve) =>
      daemon.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1))),
    );
    this.exit(code);
  }
}
