/**
 * The test image `rdd-test/busybox:latest`, made without a registry: `docker import` of a rootfs that
 * holds Debian's static `/bin/busybox` and links for the applets tests use. Imported into a given
 * engine only when missing; never deleted (it cannot be pulled again).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const busyboxImage = 'rdd-test/busybox:latest';
const busyboxBinary = '/bin/busybox';
const applets = ['sh', 'sleep', 'httpd', 'nc', 'echo', 'cat', 'ls', 'mkdir', 'wget', 'true'];

/** Runs the docker CLI against one engine socket; rejects with its stderr when it fails. */
export async function docker(socket: string, args: string[], timeoutMs = 60_000): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker', ['-H', `unix://${socket}`, ...args], { timeout: timeoutMs });
    return stdout.trim();
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`docker ${args.join(' ')} failed: ${stderr?.trim() || (error as Error).message}`);
  }
}

export async function ensureBusyboxImage(socket: string): Promise<void> {
  try {
    await docker(socket, ['image', 'inspect', '--format', '{{.Id}}', busyboxImage]);
    return;
  } catch {
    // missing: import it below
  }
  if (!fs.existsSync(busyboxBinary)) throw new Error(`${busyboxBinary} is missing: apt-get install busybox-static`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-busybox-'));
  try {
    const rootfs = path.join(dir, 'rootfs');
    fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(rootfs, 'tmp'), { mode: 0o1777 });
    fs.copyFileSync(busyboxBinary, path.join(rootfs, 'bin', 'busybox'));
    fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    for (const applet of applets) fs.symlinkSync('busybox', path.join(rootfs, 'bin', applet));
    const tarball = path.join(dir, 'rootfs.tar');
    await execFileAsync('tar', ['-C', rootfs, '-cf', tarball, '.']);
    await docker(socket, ['import', '--change', 'CMD ["sh"]', tarball, busyboxImage], 120_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
