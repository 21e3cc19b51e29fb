/**
 * The engine's own log files (dockerd.log, lima.log): rdd appends a child's stdout and stderr to them
 * and quotes their tail when a start fails, since that is where the engine says why.
 */
import fs from 'node:fs/promises';

/** How much of the end of a log is read for a tail; enough for ~15 long dockerd lines. */
const tailWindowBytes = 64 * 1024;

/** The last `lines` non-empty lines of `file`; '' when it is missing or empty. */
export async function tailLines(file: string, lines: number): Promise<string> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, tailWindowBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return lastLines(buffer.toString('utf8'), lines, length < size);
  } finally {
    await handle.close();
  }
}

/** `startsMidLine`: the text is a window that began inside a line, whose partial first line is dropped. */
export function lastLines(text: string, lines: number, startsMidLine = false): string {
  if (lines <= 0) return '';
  const all = text.split(/\r?\n/);
  if (startsMidLine) all.shift();
  return all
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n');
}

/**
 * Keeps an appended-to log from growing forever: past `maxBytes` it becomes `<file>.1` (replacing the
 * previous one) and a new file starts.
 */
export async function rotateIfLarge(file: string, maxBytes: number): Promise<void> {
  try {
    const { size } = await fs.stat(file);
    if (size > maxBytes) await fs.rename(file, `${file}.1`);
  } catch {
    // no log yet
  }
}

/** Appends a line to a log, e.g. rdd's own note that it starts a child, so the tail has context. */
export async function appendLine(file: string, line: string): Promise<void> {
  await fs.appendFile(file, `${new Date().toISOString()} rdd: ${line}\n`, { mode: 0o600 });
}

/** `message` followed by the log's tail, indented, or a pointer to the log when the tail is empty. */
export function withTail(message: string, file: string, tail: string): string {
  if (!tail) return `${message} (nothing in ${file})`;
  const indented = tail
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `${message}; last lines of ${file}:\n${indented}`;
}
