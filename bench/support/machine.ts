/** What the numbers were measured on, for the report. */
import fs from 'node:fs';
import os from 'node:os';
import { run } from './instance.js';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly dockerCli: string;
  readonly dockerd: string;
  readonly natsServer: string;
  readonly date: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on a shared machine shows here. */
  readonly loadAverage: string;
}

async function versionOf(command: string, args: readonly string[], pattern: RegExp): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, process.env, 10_000);
    return pattern.exec(stdout + stderr)?.[1] ?? 'unknown';
  } catch {
    return 'not found';
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: os.cpus() said it
  }
  return {
    cpu,
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    dockerCli: await versionOf('docker', ['--version'], /version ([^\s,]+)/i),
    dockerd: await versionOf(process.env.RDD_DOCKERD ?? 'dockerd', ['--version'], /version ([^\s,]+)/i),
    natsServer: await versionOf(process.env.RDD_NATS_SERVER ?? 'nats-server', ['--version'], /v?(\d+\.\d+\.\d+\S*)/),
    date: new Date().toISOString(),
    loadAverage: os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' / '),
  };
}
