/**
 * Networking checks of an engine that runs in a namespace of its own (the dockerd driver under
 * RootlessKit), shared by the root and non-root e2e tests: what `docker run` warns about, two
 * containers reaching each other by name on a user-defined network, a published port answering on the
 * host's 127.0.0.1, and the host's firewall as `iptables-save` prints it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from '../../host/processes.js';
import { busyboxImage, docker } from '../drivers/busybox-image.js';
import { fetchPublished } from '../drivers/support.js';

const execFileAsync = promisify(execFile);

/** A busybox httpd serving `page` on port 8080, as a shell command for `docker run … sh -c`. */
const serve = (page: string): string =>
  `mkdir -p /www && echo ${page} > /www/index.html && exec httpd -f -p 8080 -h /www`;

/** `docker run` with its stderr, where the CLI prints the engine's warnings (e.g. about IPv4 forwarding). */
export async function dockerRunWithWarnings(
  socket: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  const { stdout, stderr } = await execFileAsync('docker', ['-H', `unix://${socket}`, 'run', ...args], {
    timeout: 60_000,
  });
  return { stdout: stdout.trim(), stderr };
}

/** A web container and a client on a new user-defined network; resolves with what the client fetched by name. */
export async function fetchByName(socket: string, suffix: string): Promise<string> {
  const network = `ns-net-${suffix}`;
  const web = `ns-web-${suffix}`;
  await docker(socket, ['network', 'create', network]);
  await docker(socket, [
    'run',
    '-d',
    '--init',
    '--name',
    web,
    '--network',
    network,
    busyboxImage,
    'sh',
    '-c',
    serve('by-name-ok'),
  ]);
  // httpd may not listen yet when the client first asks; a few tries, each a fresh client.
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await docker(socket, [
        'run',
        '--rm',
        '--network',
        network,
        busyboxImage,
        'wget',
        '-qO-',
        `http://${web}:8080/`,
      ]);
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw lastError as Error;
}

/** A container published on 127.0.0.1 of a free port; resolves with the page the host got from it. */
export async function fetchFromPublishedPort(socket: string, suffix: string): Promise<{ port: number; page: string }> {
  const port = await freePort();
  await docker(socket, [
    'run',
    '-d',
    '--init',
    '--name',
    `ns-pub-${suffix}`,
    '-p',
    `127.0.0.1:${port}:8080`,
    busyboxImage,
    'sh',
    '-c',
    serve('published-ok'),
  ]);
  return { port, page: await fetchPublished(port) };
}

/** The host's iptables rules (all tables), without timestamped comments and the chains' packet counters. */
export async function hostFirewall(): Promise<string> {
  const { stdout } = await execFileAsync('iptables-save', [], { timeout: 30_000 });
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .map((line) => line.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');
}
