/**
 * Ctrl-C during a wait. Interrupting rdd stops only the waiting: what the command asked for goes on in
 * the daemon (or the engine) in the background. So the interrupted command says so on stderr, with the
 * command that follows it from there, and exits 130 (128 + SIGINT) as a shell expects.
 */
/** The exit status of a command stopped by SIGINT. */
export const interruptedExitCode = 130;

/** What an interrupted wait leaves behind: what still goes on, and the command that follows it. */
export interface InterruptNotice {
  /** `the engine keeps starting in the background` */
  background: string;
  /** `rdd ctl wait app/app --for=condition=Settled`; absent when nothing is left to follow. */
  follow?: string;
}

/** `Interrupted: <background>; follow it with: <follow>` */
export function describeInterrupt({ background, follow }: InterruptNotice): string {
  return `Interrupted: ${background}${follow ? `; follow it with: ${follow}` : ''}`;
}

/** What must still happen before an interrupted command exits, such as deleting a watch's consumer. */
const cleanups = new Set<() => Promise<unknown>>();

/** Long enough for a consumer delete on a live bus; short enough that Ctrl-C still feels immediate. */
const cleanupBoundMs = 2_000;

/**
 * While `body` runs, an interrupt explained by {@link explainInterrupt} first runs `cleanup` (bounded
 * by {@link cleanupBoundMs}) and only then exits, so a read leaves nothing behind on the server.
 */
export async function cleanUpOnInterrupt<T>(cleanup: () => Promise<unknown>, body: () => Promise<T>): Promise<T> {
  cleanups.add(cleanup);
  try {
    return await body();
  } finally {
    cleanups.delete(cleanup);
  }
}

function runCleanups(): Promise<unknown> {
  const bound = new Promise((resolve) => setTimeout(resolve, cleanupBoundMs).unref());
  return Promise.race([Promise.allSettled([...cleanups].map((cleanup) => cleanup())), bound]);
}

/**
 * Runs `work`; a SIGINT meanwhile prints the notice `notice()` gives at that moment (the phase a wait is
 * in decides what goes on), runs the pending clean-ups and exits 130. The handler is removed when
 * `work` settles.
 */
export async function explainInterrupt<T>(notice: () => InterruptNotice, work: () => Promise<T>): Promise<T> {
  const onInterrupt = (): void => {
    // On a terminal the ^C and a progress line share the line: start a clean one.
    const clear = process.stderr.isTTY ? '\r\x1b[2K' : '';
    process.stderr.write(`${clear}${describeInterrupt(notice())}\n`);
    void runCleanups().finally(() => process.exit(interruptedExitCode));
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await work();
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** ` --instance NAME` when the instance is not the default one, so a printed command acts on the same instance. */
export function instanceArgument(instance: string): string {
  return instance === 'default' ? '' : ` --instance ${instance}`;
}
