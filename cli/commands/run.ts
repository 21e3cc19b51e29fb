import { spawn } from 'node:child_process';
import os from 'node:os';
import { RddCommand } from '../base-command.js';
import { UsageError } from '../exit-codes.js';
import { splitRunArgv } from '../argv.js';

/** Signals that stop or hang up a command; whatever rdd gets of these, the command gets. */
const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
/** Signals a terminal sends to its whole foreground process group, so the command has one already. */
const terminalSignals = new Set<NodeJS.Signals>(['SIGINT', 'SIGQUIT']);

export default class Run extends RddCommand {
  static override description =
    "Run a command with the docker CLI pointed at this instance's engine: DOCKER_CONTEXT=rdd-<instance> " +
    "and DOCKER_HOST unset. Everything after the command name is the command's own (flags too). " +
    "stdin, stdout and stderr are the command's, signals are passed on, and rdd exits with its status " +
    '(128+N when signal N killed it). The context exists while the engine runs (rdd start); this ' +
    'command does not start anything.';
  static override summary = "Run a command (docker, docker compose, …) against this instance's engine.";
  static override examples = [
    { description: "List the containers of this instance's engine", command: '<%= config.bin %> run docker ps' },
    { description: 'Show the docker context rdd set up', command: '<%= config.bin %> run docker context show' },
    {
      description: 'Everything after -- is the command, its flags too',
      command: '<%= config.bin %> run -- docker compose up',
    },
    { description: 'The same for another instance', command: '<%= config.bin %> run --instance dev docker ps -a' },
  ];
  static override usage = ['run [--instance NAME] [--] CMD [ARG…]'];

  async run(): Promise<void> {
    const { own, command } = splitRunArgv(this.argv);
    const { flags } = await this.parse(Run, own);
    const { instance } = this.instanceContext(flags);
    const [file, ...args] = command;
    if (file === undefined) {
      throw new UsageError('rdd run needs a command to run, e.g. rdd run docker ps');
    }
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONTEXT: `rdd-${instance}` };
    delete env.DOCKER_HOST;
    const status = await runForwardingSignals(file, args, env);
    if (status.kind === 'not-found') {
      this.logToStderr(`Error: command not found: ${file}`);
      this.exit(127);
    }
    if (status.kind === 'not-runnable') {
      this.logToStderr(`Error: cannot run ${file}: ${status.reason}`);
      this.exit(126);
    }
    if (status.kind === 'exited' && status.code !== 0) this.exit(status.code);
  }
}

type RunStatus = { kind: 'exited'; code: number } | { kind: 'not-found' } | { kind: 'not-runnable'; reason: string };

function runForwardingSignals(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunStatus> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: 'inherit' });
    // A terminal's Ctrl-C and Ctrl-\ reach the command by themselves (it shares rdd's foreground
    // process group); forwarding them again would be a second Ctrl-C, which `docker compose up` takes
    // as "kill now". Only with no terminal did the signal come to rdd alone.
    const fromTerminal = (signal: NodeJS.Signals): boolean => terminalSignals.has(signal) && process.stdin.isTTY;
    const handlers = forwardedSignals.map((signal) => {
      const handler = (): void => {
        if (!fromTerminal(signal)) child.kill(signal);
      };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
    const done = (status: RunStatus): void => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolve(status);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') done({ kind: 'not-found' });
      else done({ kind: 'not-runnable', reason: error.code ?? error.message });
    });
    child.once('exit', (code, signal) => {
      if (signal) done({ kind: 'exited', code: 128 + (os.constants.signals[signal] ?? 0) });
      else done({ kind: 'exited', code: code ?? 1 });
    });
  });
}
