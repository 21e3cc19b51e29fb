/**
 * One status line on a terminal that updates while a long action runs (a spinner, what is awaited and
 * for how long), on stderr. When stderr is not a terminal nothing is drawn: logs and pipes get only the
 * command's own lines.
 */
const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const frameMs = 120;

/** Shows `what` until the returned function is called, which clears the line. */
export function showProgress(what: string, stream: NodeJS.WriteStream = process.stderr): () => void {
  if (!stream.isTTY) return () => undefined;
  const startedAt = Date.now();
  const draw = (): void => {
    const elapsed = Date.now() - startedAt;
    const frame = frames[Math.floor(elapsed / frameMs) % frames.length] ?? '';
    stream.write(`\r\x1b[2K${frame} ${what} (${Math.floor(elapsed / 1_000)}s)`);
  };
  draw();
  const timer = setInterval(draw, frameMs);
  return () => {
    clearInterval(timer);
    stream.write('\r\x1b[2K');
  };
}

/** Runs `work` with the progress line shown. */
export async function withProgress<T>(what: string, work: () => Promise<T>): Promise<T> {
  const done = showProgress(what);
  try {
    return await work();
  } finally {
    done();
  }
}
