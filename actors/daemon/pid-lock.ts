/**
 * One daemon per instance. On Linux the lock is an abstract-namespace unix socket named after the pid
 * file: the kernel holds it exactly as long as the process lives, so two daemons racing to start (or a
 * stale pid file after a kill -9) can never both win. Elsewhere an exclusive create of the pid file is
 * the lock, with a stale file (its pid gone) taken over.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import { isAlive, readPidFile } from '../../host/processes.js';

export type PidLock = { acquired: true; release: () => Promise<void> } | { acquired: false; holderPid: number | null };

export async function acquirePidLock(pidFile: string): Promise<PidLock> {
  if (process.platform === 'linux') {
    const server = await listenAbstract(
      `rdd-${crypto.createHash('sha256').update(pidFile).digest('hex').slice(0, 32)}`,
    );
    if (!server) return { acquired: false, holderPid: await readPidFile(pidFile) };
    await fs.writeFile(pidFile, `${process.pid}\n`, { mode: 0o600 });
    return { acquired: true, release: () => releaseWith(pidFile, () => server.close()) };
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(pidFile, `${process.pid}\n`, { mode: 0o600, flag: 'wx' });
      return { acquired: true, release: () => releaseWith(pidFile, () => {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readPidFile(pidFile);
      if (holder !== null && holder !== process.pid && isAlive(holder)) return { acquired: false, holderPid: holder };
      await fs.rm(pidFile, { force: true });
    }
  }
  return { acquired: false, holderPid: await readPidFile(pidFile) };
}

async function releaseWith(pidFile: string, close: () => void): Promise<void> {
  if ((await readPidFile(pidFile)) === process.pid) await fs.rm(pidFile, { force: true });
  close();
}

function listenAbstract(name: string): Promise<net.Server | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(null) : reject(error),
    );
    server.listen(`\0${name}`, () => {
      server.unref();
      resolve(server);
    });
  });
}
