/**
 * `rdd svc delete` against rdd's own dockerd: a plain delete removes rdd's state but keeps the user's
 * containers, images and volumes for the next start; `--purge` removes them too, and only once
 * confirmed (a y/N question on a terminal, `--yes` in a script).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dockerdLayout } from '../actors/vm/drivers/dockerd-args.js';
import { busyboxImage, docker, ensureBusyboxImage } from './drivers/busybox-image.js';
import { repoRoot, TestInstance, uniqueInstance, type CliResult } from './support/cli.js';

const instance = new TestInstance(uniqueInstance('del'));
const socket = instance.paths.docker_socket;
// Where the dockerd driver itself puts the engine's data, not where svc delete thinks it is.
const dockerdDataRoot = dockerdLayout(instance.paths).dataRoot;
const container = 'rdd-kept';
const volume = 'rdd-kept-volume';

afterAll(() => instance.dispose(), 60_000);

async function startWithEngine(): Promise<void> {
  await instance.ok(['svc', 'start']);
  await instance.ok(['start', '--timeout', '3m']);
}

async function userData(): Promise<{ containers: string[]; volumes: string[] }> {
  const lines = (text: string): string[] => text.split('\n').filter(Boolean);
  return {
    containers: lines(await docker(socket, ['ps', '-a', '--format', '{{.Names}}'])),
    volumes: lines(await docker(socket, ['volume', 'ls', '--format', '{{.Name}}'])),
  };
}

/** Runs `rdd ARGS` on a pseudo-terminal (util-linux `script`), typing `answer` once it asks. */
function rddOnTerminal(args: string[], answer: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, path.join(repoRoot, 'bin', 'rdd'), ...args].join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: instance.env });
    let output = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!answered && output.includes('[y/N]')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rdd ${args.join(' ')} on a terminal did not finish; output: ${output}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: output, stderr: '' });
    });
  });
}

describe('rdd svc delete', () => {
  beforeAll(async () => {
    await startWithEngine();
    await ensureBusyboxImage(socket);
    await docker(socket, ['volume', 'create', volume]);
    await docker(socket, ['create', '--name', container, '-v', `${volume}:/data`, busyboxImage, 'true']);
  }, 240_000);

  it('should remove rdd’s state but keep containers, images and volumes for the next start', async () => {
    const deleted = await instance.rdd(['svc', 'delete']);
    const leftOver = [
      instance.paths.store_dir,
      instance.paths.creds_file,
      instance.paths.watch_creds_file,
      instance.paths.daemon_creds_file,
      instance.paths.nats_config,
      instance.paths.log_dir,
      instance.paths.run_dir,
    ].filter((target) => fs.existsSync(target));
    const dataRootKept = fs.existsSync(dockerdDataRoot);
    await startWithEngine();
    const after = await userData();

    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain(`Kept the engine's data (containers, images, volumes) in ${dockerdDataRoot}`);
    expect(leftOver).toEqual([]);
    expect(dataRootKept).toBe(true);
    expect(after.containers).toContain(container);
    expect(after.volumes).toContain(volume);
    await expect(docker(socket, ['image', 'inspect', busyboxImage])).resolves.toContain(busyboxImage);
  }, 300_000);

  it('should refuse --purge with exit 2 when there is no terminal to ask on and no --yes, removing nothing', async () => {
    const refused = await instance.rdd(['svc', 'delete', '--purge']);
    const status = await instance.json<{ running: boolean }>(['svc', 'status']);
    const after = await userData();

    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('rdd svc delete --purge --yes');
    expect(refused.stderr).toContain(dockerdDataRoot);
    expect(status.running).toBe(true);
    expect(after.containers).toContain(container);
    expect(after.volumes).toContain(volume);
  });

  it('should list what --purge removes on a terminal and remove nothing when the answer is no', async () => {
    const declined = await rddOnTerminal(['svc', 'delete', '--purge'], 'n');
    const after = await userData();

    expect(declined.code).toBe(1);
    expect(declined.stdout).toMatch(/1 container, \d+ images?, 1 volume/);
    expect(declined.stdout).toContain(dockerdDataRoot);
    expect(declined.stdout).toContain('Nothing was removed');
    expect(after.containers).toContain(container);
    expect(after.volumes).toContain(volume);
  }, 90_000);

  it('should remove the engine data with --purge --yes, so a new start finds none of it', async () => {
    const purged = await instance.rdd(['svc', 'delete', '--purge', '--yes'], { timeoutMs: 120_000 });
    const remaining = [instance.paths.dir, instance.paths.log_dir, instance.paths.run_dir].filter((dir) =>
      fs.existsSync(dir),
    );
    await startWithEngine();
    const after = await userData();

    expect(purged.code).toBe(0);
    expect(purged.stderr).toContain(`Removed the engine's data in ${dockerdDataRoot}: 1 container, `);
    expect(purged.stderr).toMatch(/1 container, \d+ images?, 1 volume/);
    expect(remaining).toEqual([]);
    expect(after.containers).not.toContain(container);
    expect(after.volumes).not.toContain(volume);
  }, 300_000);
});
