/**
 * Creates the instance's directories (0700) and refuses directories that are not safely ours: owned by
 * another user, or writable by group or others — such a directory could let someone swap the store,
 * the credentials or the sockets under us.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { instanceDirs, socketPathProblem, type InstancePaths } from '../../protocol/instance.js';

export class UnsafeDirectoryError extends Error {
  override readonly name = 'UnsafeDirectoryError';
}

export async function prepareInstanceDirs(paths: InstancePaths): Promise<void> {
  const socketProblem = socketPathProblem(paths);
  if (socketProblem) throw new UnsafeDirectoryError(socketProblem);
  const uid = process.getuid?.();
  for (const dir of [...instanceDirs(paths), paths.store_dir]) {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const stat = await fs.stat(dir);
    if (uid !== undefined && stat.uid !== uid) {
      throw new UnsafeDirectoryError(
        `refusing to use ${dir}: it is owned by uid ${stat.uid}, not by this user (uid ${uid})`,
      );
    }
    if ((stat.mode & 0o022) !== 0) {
      const mode = (stat.mode & 0o777).toString(8);
      throw new UnsafeDirectoryError(
        `refusing to use ${dir}: its mode ${mode} lets group or others write to it; run chmod 700 ${JSON.stringify(dir)}`,
      );
    }
  }
  // The parent of the run dir holds every instance's sockets: it must not be writable by others either.
  const runParent = path.dirname(paths.run_dir);
  const parentStat = await fs.stat(runParent);
  if ((parentStat.mode & 0o002) !== 0 && (parentStat.mode & 0o1000) === 0) {
    throw new UnsafeDirectoryError(`refusing to use ${runParent}: it is world-writable without the sticky bit`);
  }
}
