/**
 * The daemon's count of what it refused to act on: bus messages that were not JSON or failed their
 * schema, engine events that were not events, stored values that were not valid resources. Every
 * validation point records here, by source (`vm.status`, `mirrors.request`, `engine.events`,
 * `store.Container`, …); `rdd svc status` shows the counts.
 *
 * Anyone holding bus credentials can publish, so a flood must not fill the log: each source logs its
 * first {@link logsPerWindow} rejections per minute, then one summary line of how many it left out.
 */
import type { Logger } from 'winston';
import { silentLogger } from '../logging.js';

export const logsPerWindow = 5;
export const logWindowMs = 60_000;

/** What `svc.status` reports. */
export interface RejectionCounts {
  total: number;
  bySource: Record<string, number>;
}

interface SourceWindow {
  startedAt: number;
  logged: number;
  suppressed: number;
  summary: NodeJS.Timeout | undefined;
}

export class RejectionCounter {
  private readonly counts = new Map<string, number>();
  private readonly windows = new Map<string, SourceWindow>();
  /** Stored values already counted, by `key@revision`: a bad value read again is not a new rejection. */
  private readonly seenValues = new Set<string>();
  private logger: Logger = silentLogger();

  constructor(private readonly now: () => number = Date.now) {}

  /** The logger for validation points that have none of their own (the engine event stream). */
  useLogger(logger: Logger): void {
    this.logger = logger;
  }

  /**
   * Counts one rejection from `source` and logs it (rate-limited): `what` names the message or key,
   * `issue` the first thing wrong with it.
   */
  record(source: string, what: string, issue: string, logger: Logger = this.logger): void {
    this.counts.set(source, (this.counts.get(source) ?? 0) + 1);
    const window = this.windowOf(source);
    if (window.logged < logsPerWindow) {
      window.logged += 1;
      logger.warn(`rejected ${what}: ${issue}`);
      return;
    }
    window.suppressed += 1;
    // One summary per window, when it ends; unref'd so a pending summary never holds the daemon up.
    window.summary ??= setTimeout(
      () => this.summarize(source, window, logger),
      window.startedAt + logWindowMs - this.now(),
    );
    window.summary.unref?.();
  }

  /** Like {@link record}, once per stored value: `id` is its key and revision. */
  recordValue(source: string, id: string, what: string, issue: string, logger?: Logger): void {
    if (this.seenValues.has(id)) return;
    this.seenValues.add(id);
    this.record(source, what, issue, logger);
  }

  snapshot(): RejectionCounts {
    const bySource = Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { total: [...this.counts.values()].reduce((sum, count) => sum + count, 0), bySource };
  }

  /** Drops pending summaries (a daemon shutting down, or the end of a test). */
  stop(): void {
    for (const window of this.windows.values()) {
      clearTimeout(window.summary);
      window.summary = undefined;
    }
  }

  private windowOf(source: string): SourceWindow {
    const now = this.now();
    const current = this.windows.get(source);
    if (current && now - current.startedAt < logWindowMs) return current;
    const fresh: SourceWindow = { startedAt: now, logged: 0, suppressed: 0, summary: undefined };
    this.windows.set(source, fresh);
    return fresh;
  }

  private summarize(source: string, window: SourceWindow, logger: Logger): void {
    if (window.suppressed === 0) return;
    logger.warn(
      `rejected ${window.suppressed} more from ${source} in the last minute without logging each (${this.counts.get(source) ?? 0} in all)`,
    );
    window.suppressed = 0;
    window.summary = undefined;
  }
}

/** The daemon's one counter: every validation point records here, `svc.status` reads it. */
export const rejections = new RejectionCounter();

/** The source name of an instance subject: `rdd.dev.vm.status` → `vm.status`. */
export function subjectSource(subject: string): string {
  return subject.split('.').slice(2).join('.');
}
