/**
 * Shared by the VM driver e2e tests: an isolated instance (temp HOME, paths from `instancePaths`, dirs
 * 0700), a VmConfig with a silent logger, a published web container, and process checks that only read
 * /proc.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import type { VmConfig } from '../../actors/vm/driver.js';
import { instanceDirs, instancePaths, type InstancePaths } from '../../protocol/instance.js';
import { freePort } from '../../host/processes.js';
import { busyboxImage, docker, ensureBusyboxImage } from './busybox-image.js';

/** Silent, unless RDD_E2E_LOG=1 asks to see what the drivers say while debugging a test. */
function testLogger(): winston.Logger {
  if (process.env.RDD_E2E_LOG !== '1') return winston.createLogger({ silent: true });
  return winston.createLogger({
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
    format: winston.format.printf(({ level, message }) => `${level}: ${String(message)}`),
  });
}

export class DriverTestInstance {
  readonly home: string;
  readonly paths: InstancePaths;

  constructor(readonly name: string) {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-drv-'));
    this.paths = instancePaths(name, { platform: process.platform, home: this.home, env: {} });
    for (const dir of instanceDirs(this.paths)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  config(overrides: Partial<VmConfig> = {}): VmConfig {
    return {
      instance: this.name,
      paths: this.paths,
      engine: 'moby',
      kubernetes: { enabled: false, version: '' },
      socket: this.paths.docker_socket,
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: this.home },
      logger: testLogger(),
      ...overrides,
    };
  }

  remove(): void {
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

/** Pids of live processes whose command line contains `needle` (read from /proc; nothing is signalled). */
export function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (command.includes(needle) && Number(entry) !== process.pid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Mount points at or below `dir` (an engine killed outright leaves some until its driver stops it). */
export function mountsUnder(dir: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}

export function httpGet(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

export async function eventually<T>(what: string, attempt: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export interface PublishedWeb {
  readonly container: string;
  readonly port: number;
  readonly ip: string;
}

/** A busybox httpd on the engine's default network, published on 127.0.0.1, answering "rdd-ok". */
export async function runPublishedWeb(socket: string): Promise<PublishedWeb> {
  await ensureBusyboxImage(socket);
  const port = await freePort();
  const container = await docker(socket, [
    'run',
    '-d',
    '--init',
    '-p',
    `127.0.0.1:${port}:8080`,
    busyboxImage,
    'sh',
    '-c',
    'mkdir -p /www && echo rdd-ok > /www/index.html && exec httpd -f -p 8080 -h /www',
  ]);
  const ip = await docker(socket, ['inspect', '--format', '{{.NetworkSettings.IPAddress}}', container]);
  return { container, port, ip };
}

/** Resolves with the page once the published port answers from the host. */
export function fetchPublished(port: number): Promise<string> {
  return eventually(`127.0.0.1:${port} did not answer`, async () => {
    const { status, body } = await httpGet(`http://127.0.0.1:${port}/`);
    if (status !== 200) throw new Error(`HTTP ${status}`);
    return body.trim();
  });
}
