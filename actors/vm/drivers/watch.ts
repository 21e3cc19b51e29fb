/** Polling for engines rdd cannot `wait()` on: an adopted dockerd, a user's engine, a Lima host agent. */

export interface Watch {
  /** Settles with the reason once `check` reports one; never, once cancelled. */
  readonly died: Promise<Error>;
  readonly cancel: () => void;
}

/**
 * Runs `check` every `intervalMs` until it returns a reason. A check that throws counts as "still
 * alive": a flaky probe must not declare an engine dead. The timer does not keep the process alive.
 */
export function watchUntil(check: () => Promise<string | null> | string | null, intervalMs: number): Watch {
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  const died = new Promise<Error>((resolve) => {
    const tick = async (): Promise<void> => {
      let reason: string | null = null;
      try {
        reason = await check();
      } catch {
        reason = null;
      }
      if (cancelled) return;
      if (reason !== null) {
        resolve(new Error(reason));
        return;
      }
      timer = setTimeout(() => void tick(), intervalMs);
      timer.unref();
    };
    timer = setTimeout(() => void tick(), intervalMs);
    timer.unref();
  });
  return {
    died,
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
