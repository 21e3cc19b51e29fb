/**
 * What every rdd command shares: the global flags (`--instance`, `--log-level`), the instance context,
 * and the single place where a failure becomes a message on stderr and an exit status.
 */
import os from 'node:os';
import { Command, Errors, Flags } from '@oclif/core';
import { instancePaths, resolveInstance } from '../protocol/instance.js';
import { logLevels, resolveLogLevel } from '../protocol/logging.js';
import type { InstanceContext } from './daemon-control.js';
import { exitCodeFor } from './exit-codes.js';

export abstract class RddCommand extends Command {
  static override baseFlags = {
    instance: Flags.string({
      description: 'Instance to act on: 1-32 of a-z, 0-9, "-" [default: $RDD_INSTANCE, else "default"]',
      helpGroup: 'GLOBAL',
    }),
    'log-level': Flags.string({
      description: `Daemon log level, one of ${logLevels.join(', ')} [default: $RDD_LOG_LEVEL, else info]`,
      helpGroup: 'GLOBAL',
    }),
  };

  /** Resolves the instance and its paths; a malformed instance or level is a usage error (exit 2). */
  protected instanceContext(flags: { instance?: string; 'log-level'?: string }): InstanceContext {
    const instance = resolveInstance(flags.instance, process.env);
    return {
      instance,
      logLevel: resolveLogLevel(flags['log-level'], process.env),
      paths: instancePaths(instance, { platform: process.platform, home: os.homedir(), env: process.env }),
      root: this.config.root,
      progress: (line) => this.logToStderr(line),
    };
  }

  /**
   * oclif fills a missing argument from standard input when it is not a TTY; then
   * `printf 'container/x\n' | rdd ctl delete` deletes container x, and a loop's `read` loses its lines
   * to the first rdd in the loop. No rdd argument ever comes from stdin: a missing one is missing.
   */
  override async init(): Promise<void> {
    await super.init();
    for (const arg of Object.values(this.ctor.args ?? {})) arg.ignoreStdin = true;
  }

  protected print(text: string): void {
    process.stdout.write(text);
  }

  protected override catch(error: Error & { exitCode?: number }): Promise<void> {
    // this.exit() travels as an ExitError; it is not a failure to report.
    if (error instanceof Errors.ExitError) throw error;
    const code = exitCodeFor(error);
    const message =
      code === 2 && !/--help/.test(error.message) ? `${error.message}\nSee more help with --help` : error.message;
    this.logToStderr(`Error: ${message}`);
    this.exit(code);
  }
}
