import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { RddCommand } from '../../base-command.js';
import { outputFlag } from '../../flags.js';

const daemonLog = 'rdd.log';

export default class SvcLogs extends RddCommand {
  static override description =
    "Print the daemon's log (JSON lines on disk, shown readable by default); -f keeps following it. The nats-server log is beside it (rdd svc paths log_dir).";
  static override summary = "Print the daemon's log; -f keeps following it.";
  static override examples = [
    { description: "The daemon's log so far", command: '<%= config.bin %> svc logs' },
    { description: 'Keep printing new lines until Ctrl-C', command: '<%= config.bin %> svc logs -f' },
    {
      description: 'The messages of the last 50 lines',
      command: '<%= config.bin %> svc logs -n 50 -o json | jq .message',
    },
  ];
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'Keep printing new lines until interrupted', default: false }),
    lines: Flags.integer({ char: 'n', description: 'Print only the last N lines (0 = all)', default: 0, min: 0 }),
    output: outputFlag(['text', 'json'] as const, 'text'),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SvcLogs);
    const { paths, instance } = this.instanceContext(flags);
    const file = path.join(paths.log_dir, daemonLog);
    if (!fs.existsSync(file) && !flags.follow) {
      this.logToStderr(`instance ${instance} has no daemon log yet (${file})`);
      return;
    }
    const show = (line: string): void => {
      if (line.trim()) this.print(`${flags.output === 'json' ? line : readable(line)}\n`);
    };
    let offset = 0;
    if (fs.existsSync(file)) {
      const content = fs.readFileSync(file);
      offset = content.length;
      const lines = content.toString('utf8').split('\n').filter(Boolean);
      for (const line of flags.lines ? lines.slice(-flags.lines) : lines) show(line);
    }
    if (!flags.follow) return;
    let partial = '';
    // Polling, not fs.watch: it survives the file being rotated or created later.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (!fs.existsSync(file)) continue;
      const size = fs.statSync(file).size;
      if (size < offset) offset = 0;
      if (size === offset) continue;
      const chunk = Buffer.alloc(size - offset);
      const fd = fs.openSync(file, 'r');
      fs.readSync(fd, chunk, 0, chunk.length, offset);
      fs.closeSync(fd);
      offset = size;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(show);
    }
  }
}

function readable(line: string): string {
  try {
    const entry = JSON.parse(line) as { timestamp?: string; level?: string; message?: string; actor?: string };
    const actor = entry.actor ? ` ${entry.actor}` : '';
    return `${entry.timestamp ?? ''} ${(entry.level ?? '').toUpperCase().padEnd(5)}${actor}: ${entry.message ?? ''}`;
  } catch {
    return line;
  }
}
