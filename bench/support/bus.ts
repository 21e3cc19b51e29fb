/**
 * The bus side of the benchmarks, as any NATS client of an instance sees it: a KV watch of the Container
 * mirrors (what a GUI would run) and the messages the daemon publishes, each with its arrival time: the
 * sync reports on `rdd.<instance>.engine.drift`, the supervision telemetry.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ZodType } from 'zod';
import { connectBus, readCredentials } from '../../client/api-client.js';
import { syncReportSchema, type SyncReport } from '../../protocol/mirrors/commands.schema.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { ResourceStore } from '../../client/store.js';
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

/** Every message of one subject that `schema` accepts, with the wall time (ms since the epoch) each arrived. */
export class BusMessages<T> {
  readonly received: { message: T; at: number }[] = [];
  private readonly subscription: Subscription;
  private readonly waiters = new Set<() => void>();

  constructor(nc: NatsConnection, subject: string, schema: ZodType<T>) {
    const subscription = nc.subscribe(subject);
    this.subscription = subscription;
    void (async () => {
      for await (const message of subscription) {
        const parsed = schema.safeParse(message.json());
        if (!parsed.success) continue;
        this.received.push({ message: parsed.data, at: Date.now() });
        for (const waiter of this.waiters) waiter();
      }
    })();
  }

  /** The first message received at or after `since` (ms since the epoch) that `match` accepts, if any. */
  find(since: number, match: (message: T) => boolean): T | undefined {
    return this.received.find(({ message, at }) => at >= since && match(message))?.message;
  }

  /** Resolves to {@link find}'s message once one arrives, or undefined after `timeoutMs`. */
  next(since: number, match: (message: T) => boolean, timeoutMs: number): Promise<T | undefined> {
    const found = this.find(since, match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(undefined);
      }, timeoutMs);
      const check = (): void => {
        const message = this.find(since, match);
        if (!message) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(message);
      };
      this.waiters.add(check);
    });
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

/** The SyncReports the daemon publishes on `rdd.<instance>.engine.drift`. */
export class SyncReports extends BusMessages<SyncReport> {
  constructor(nc: NatsConnection, instance: string) {
    super(nc, engineDriftSubject(instance), syncReportSchema);
  }
}
