/**
 * One connection's mirroring (DESIGN.md §5): subscribe to events from the engine's clock first, then
 * sync; events that arrive during the sync are buffered and routed after it, so nothing that happened
 * in the gap is lost, and nothing is applied to a mirror the sync has not reached yet. Then every event
 * is routed as it comes, and a periodic resync catches whatever the stream missed and reports it.
 */
import type { Logger } from 'winston';
import type { SyncReport, SyncTrigger } from '../../protocol/mirrors/commands.schema.js';
import { describeError } from '../../protocol/errors.js';
import type { MirrorStore } from '../mirrors/mirror-store.js';
import type { MirrorSupervisor } from '../mirrors/mirror-supervisor.js';
import { syncMirrors } from '../mirrors/sync.js';
import { SyncTimings } from '../mirrors/sync-timings.js';
import type { EngineClient } from './engine-client.js';
import type { EngineEvent } from './engine-events.js';

export interface MirrorSessionOptions {
  engine: EngineClient;
  supervisor: MirrorSupervisor;
  store: MirrorStore;
  namespace: string;
  logger: Logger;
  /** Engine seconds to subscribe from: the clock read when connecting. */
  since: number;
  trigger: Extract<SyncTrigger, 'connect' | 'reconnect'>;
  resyncMs: number;
  /** Every sync's report; the session logs drift itself, and a throw here is logged, not a failed sync. */
  onReport: (report: SyncReport) => void;
  /** The first sync is done and buffered events are routed: the mirrors are whole. */
  onSynced: () => void;
  /** The stream died or the first sync failed: the connection is over. Called at most once. */
  onEnd: (message: string) => void;
  /** Buffered events beyond this are dropped and a second sync runs instead (default 100 000). */
  bufferLimit?: number;
}

export interface MirrorSession {
  /** Runs a sync now (serialised with the others); resolves to its report. */
  resync(trigger: SyncTrigger): Promise<SyncReport>;
  /** Stops the stream and the resync timer; resolves once no sync of this session is running. */
  cancel(): Promise<void>;
}

export function startMirrorSession(options: MirrorSessionOptions): MirrorSession {
  const { engine, supervisor, logger } = options;
  const bufferLimit = options.bufferLimit ?? 100_000;
  let buffer: EngineEvent[] | null = [];
  let overflowed = false;
  let ended = false;
  let resyncTimer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const end = (message: string): void => {
    if (ended) return;
    ended = true;
    void cancel();
    options.onEnd(message);
  };
  supervisor.setEngine(engine);
  const cancelEvents = engine.events(options.since, {
    onEvent: (event) => {
      if (!buffer) return supervisor.route(event);
      if (buffer.length < bufferLimit) buffer.push(event);
      else overflowed = true;
    },
    onEnd: end,
  });

  const sync = (trigger: SyncTrigger): Promise<SyncReport> => {
    const timings = new SyncTimings();
    const run = chain.then(() => syncMirrors({ ...options, supervisor, engine, timings }, trigger));
    chain = run.catch(() => undefined);
    return run.then((report) => {
      logReport(logger, report, timings);
      // Best-effort: a report the bus refuses (connection closed, a small max_payload) must not fail the
      // sync, or the first sync fails and the engine reconnects over and over.
      try {
        options.onReport(report);
      } catch (error) {
        logger.warn(`could not publish the sync report: ${describeError(error)}`);
      }
      return report;
    });
  };

  const scheduleResync = (): void => {
    if (ended || options.resyncMs <= 0) return;
    resyncTimer = setTimeout(() => {
      sync('periodic')
        .catch((error: unknown) => logger.warn(`periodic resync failed: ${describeError(error)}; trying again later`))
        .finally(scheduleResync);
    }, options.resyncMs);
    resyncTimer.unref?.();
  };

  sync(options.trigger)
    .then(async () => {
      if (ended) return;
      const buffered = buffer ?? [];
      buffer = null;
      // Too many events to keep during the snapshot: a second sync reads the result instead.
      if (overflowed) await sync(options.trigger);
      else for (const event of buffered) supervisor.route(event);
      if (ended) return;
      options.onSynced();
      scheduleResync();
    })
    .catch((error: unknown) => end(`the sync failed: ${describeError(error)}`));

  function cancel(): Promise<void> {
    ended = true;
    clearTimeout(resyncTimer);
    cancelEvents();
    return chain.then(() => undefined);
  }
  return { resync: sync, cancel };
}

function logReport(logger: Logger, report: SyncReport, timings: SyncTimings): void {
  const counts = `${report.created} created, ${report.updated} updated, ${report.removed} removed, ${report.failed} failed`;
  const summary = `${report.trigger} sync in ${report.durationMs} ms: ${counts} (${timings.describe()})`;
  const drift = report.trigger === 'periodic' && report.created + report.updated + report.removed > 0;
  if (drift) logger.warn(`${summary}; drift the event stream missed: ${report.changed.join(', ')}`);
  else logger.info(summary);
}
