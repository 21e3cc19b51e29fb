/**
 * A temporary non-root user for e2e tests that run rdd the way a developer does (needs root to set up):
 * created with `useradd -m` (Debian gives it a subuid/subgid range), the built CLI run as that user with
 * a minimal environment, and removal of everything it left — its processes (all of them are this
 * test's: the user did not exist before), its home and its subordinate ids.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { terminate } from '../../host/processes.js';
import { instancePaths, type InstancePaths } from '../../protocol/instance.js';
import { subIdRangesOf } from '../../actors/vm/drivers/rootless-prerequisites.js';
import { collectOutput, repoRoot, type CliResult } from './cli.js';

const execFileAsync = promisify(execFile);
const userPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class TestUser {
  /** Where the repository is reachable for the user: the checkout, or a bind mount of it. */
  private repo = repoRoot;
  private bindMount: string | null = null;

  private constructor(
    readonly name: string,
    readonly uid: number,
    readonly gid: number,
    readonly home: string,
  ) {}

  /** Creates the user; fails with what is missing when Debian gave it no subordinate ids. */
  static async create(prefix: string): Promise<TestUser> {
    const name = `${prefix}${process.pid % 100_000}${Math.floor(Math.random() * 1_000)}`.slice(0, 31);
    await execFileAsync('useradd', ['-m', '-s', '/bin/sh', name]);
    const [, , uid, gid, , home] = (await execFileAsync('getent', ['passwd', name])).stdout.trim().split(':');
    const user = new TestUser(name, Number(uid), Number(gid), home!);
    for (const file of ['/etc/subuid', '/etc/subgid']) {
      if (subIdRangesOf(fs.readFileSync(file, 'utf8'), user).length === 0) {
        await user.remove();
        throw new Error(`useradd gave ${name} no range in ${file} (SUB_UID_*/SUB_GID_* in /etc/login.defs)`);
      }
    }
    return user;
  }

  /**
   * Makes the checkout readable by the user. A parent dir it cannot traverse (a CI clone in a 0700
   * temp dir) is bypassed with a read-only bind mount of the checkout in a traversable place.
   */
  async reachRepository(): Promise<void> {
    if (await this.canRead(path.join(this.repo, 'bin', 'rdd'))) return;
    const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-repo-'));
    fs.chmodSync(mountPoint, 0o755);
    await execFileAsync('mount', ['--bind', '-o', 'ro', repoRoot, mountPoint]);
    this.bindMount = mountPoint;
    this.repo = mountPoint;
    if (!(await this.canRead(path.join(this.repo, 'bin', 'rdd')))) {
      throw new Error(`${this.name} cannot read ${repoRoot}/bin/rdd, not even through a bind mount at ${mountPoint}`);
    }
  }

  private async canRead(file: string): Promise<boolean> {
    return (await this.run('/bin/sh', ['-c', 'test -r "$0"', file], {})).code === 0;
  }

  paths(instance: string): InstancePaths {
    return instancePaths(instance, { platform: process.platform, home: this.home, env: {} });
  }

  /** Runs the built `rdd` as the user, in its home, with nothing of this process's environment. */
  rdd(instance: string, args: string[], timeoutMs = 120_000): Promise<CliResult> {
    return this.run(
      process.execPath,
      [path.join(this.repo, 'bin', 'rdd'), ...args],
      { RDD_INSTANCE: instance },
      timeoutMs,
    );
  }

  run(program: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliResult> {
    const child = spawn(program, args, {
      uid: this.uid,
      gid: this.gid,
      cwd: this.home,
      env: { PATH: userPath, HOME: this.home, USER: this.name, LOGNAME: this.name, ...env },
    });
    return collectOutput(child, `${program} ${args.join(' ')} as ${this.name}`, timeoutMs);
  }

  /** The command lines of the user's processes, for a failure to show what is left. */
  commandLines(): string[] {
    return this.processes().map((pid) => {
      try {
        return `${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`;
      } catch {
        return `${pid} (gone)`;
      }
    });
  }

  /** Pids of the user's live processes (real uid; not zombies a slow-reaping PID 1 still holds), from /proc. */
  processes(): number[] {
    return fs.readdirSync('/proc').flatMap((entry) => {
      if (!/^\d+$/.test(entry)) return [];
      try {
        const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
        const ours = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === this.uid;
        return ours && !/^State:\s+Z/m.test(status) ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
  }

  /** Ends what is left of the user's processes, then deletes the user, its home and its subordinate ids. */
  async remove(): Promise<void> {
    for (const pid of this.processes()) await terminate(pid, 5_000);
    await execFileAsync('userdel', ['-r', this.name]).catch((error: Error) => {
      // userdel -r warns (exit 12) when the mail spool it also removes does not exist.
      if (!/mail spool/.test(error.message)) throw error;
    });
    if (this.bindMount) {
      await execFileAsync('umount', [this.bindMount]);
      fs.rmdirSync(this.bindMount);
    }
  }
}
