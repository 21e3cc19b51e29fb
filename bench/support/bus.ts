/**
 * The bus side of the benchmarks, as any NATS client of an instance sees it: a KV watch of the Container
 * mirrors (what a GUI would run) and the sync reports the daemon publishes on `rdd.<instance>.engine.drift`.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { connectBus, readCredentials } from '../../protocol/client.js';
import { syncReportSchema, type SyncReport } from '../../protocol/mirrors/commands.schema.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { ResourceStore } from '../../protocol/store.js';
import { engineDriftSubject } from '../../protocol/subjects.js';

/** A connection that keeps reconnecting, so it outlives a restart of the daemon (same port, same password). */
export async function connectInstanceBus(credsFile: string, name: string): Promise<NatsConnection> {
  return connectBus(await readCredentials(credsFile), { reconnect: true, name });
}

/**
 * Every Container mirror's `status.status`, kept current by one KV watch. `onChange` sees each change
 * with its arrival time (performance.now()).
 */
export class ContainerMirrors {
  readonly statuses = new Map<string, string>();
  onChange: ((id: string, status: string | null, arrivedAt: number) => void) | undefined;
  private readonly abort = new AbortController();
  private readonly waiters = new Set<() => void>();
  private done: Promise<void> = Promise.resolve();

  private constructor() {}

  /** Starts the watch; resolves once the current mirrors have all been delivered. */
  static async watch(nc: NatsConnection, instance: string): Promise<ContainerMirrors> {
    const mirrors = new ContainerMirrors();
    const store = await ResourceStore.open(nc, instance);
    let synced!: () => void;
    const caughtUp = new Promise<void>((resolve) => (synced = resolve));
    mirrors.done = (async () => {
      for await (const event of store.watch({ kind: 'Container', onSynced: synced }, mirrors.abort.signal)) {
        const arrivedAt = performance.now();
        const { metadata, status } = event.object as Container;
        const value = event.type === 'DELETED' ? null : (status?.status ?? 'unknown');
        if (value === null) mirrors.statuses.delete(metadata.name);
        else mirrors.statuses.set(metadata.name, value);
        mirrors.onChange?.(metadata.name, value, arrivedAt);
        for (const waiter of mirrors.waiters) waiter();
      }
    })();
    await caughtUp;
    return mirrors;
  }

  /** Resolves once `predicate` holds (checked after every change); rejects after `timeoutMs`. */
  until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => undefined);
  }
}

/** The SyncReports of `rdd.<instance>.engine.drift`, with the wall time each arrived. */
export class SyncReports {
  readonly received: { report: SyncReport; at: number }[] = [];
  private readonly subscription: Subscription;
  private readonly waiters = new Set<() => void>();

  constructor(nc: NatsConnection, instance: string) {
    const subscription = nc.subscribe(engineDriftSubject(instance));
    this.subscription = subscription;
    void (async () => {
      for await (const message of subscription) {
        const parsed = syncReportSchema.safeParse(message.json());
        if (!parsed.success) continue;
        this.received.push({ report: parsed.data, at: Date.now() });
        for (const waiter of this.waiters) waiter();
      }
    })();
  }

  /** The first report received at or after `since` (ms since the epoch) that `match` accepts, if any. */
  find(since: number, match: (report: SyncReport) => boolean): SyncReport | undefined {
    return this.received.find(({ report, at }) => at >= since && match(report))?.report;
  }

  /** Resolves to {@link find}'s report once one arrives, or undefined after `timeoutMs`. */
  next(since: number, match: (report: SyncReport) => boolean, timeoutMs: number): Promise<SyncReport | undefined> {
    const found = this.find(since, match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(undefined);
      }, timeoutMs);
      const check = (): void => {
        const report = this.find(since, match);
        if (!report) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(report);
      };
      this.waiters.add(check);
    });
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}
