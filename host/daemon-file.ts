/**
 * The daemon file (`rdd svc paths daemon_file`): the daemon writes it once its API answers and marks it
 * `stopping` as the first step of a shutdown, so a CLI that finds the pid alive can tell a daemon that
 * is on its way out (wait for it to exit, then start a new one) from one that is busy or still booting
 * (wait for it to answer).
 */
import fs from 'node:fs/promises';

export type DaemonPhase = 'running' | 'stopping';

export interface DaemonFile {
  pid: number;
  instance: string;
  version: string;
  /** Null when the daemon is stopped before its bus ever ran. */
  natsUrl: string | null;
  startedAt: string;
  phase: DaemonPhase;
}

export async function writeDaemonFile(file: string, content: DaemonFile): Promise<void> {
  // Written aside and renamed, so a reader never sees half a file.
  const partial = `${file}.${content.pid}.tmp`;
  await fs.writeFile(partial, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  await fs.rename(partial, file);
}

/** The recorded file, or null when it is missing or not one (an older daemon's lacks `phase`). */
export async function readDaemonFile(file: string): Promise<DaemonFile | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<DaemonFile>;
    if (typeof parsed.pid !== 'number' || (parsed.phase !== 'running' && parsed.phase !== 'stopping')) return null;
    return parsed as DaemonFile;
  } catch {
    return null;
  }
}
