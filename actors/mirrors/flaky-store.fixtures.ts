/**
 * A {@link TestStore} (real JetStream KV) whose calls a test can make fail (a KV outage during one
 * write) or hold until released (a slow write, to see what happens meanwhile). A call that is let
 * through goes to the real store, as it is at that moment.
 */
import type { Resource } from '../../protocol/resource.schema.js';
import type { CreateOptions, ListOptions } from '../../client/store.js';
import { TestStore } from './nats-store.fixtures.js';

type StoreMethod = 'get' | 'list' | 'create' | 'update' | 'delete';

interface Hold {
  method: StoreMethod;
  kind: string | undefined;
  gate: Promise<void>;
}

export class FlakyStore extends TestStore {
  private readonly failures: { method: StoreMethod; error: Error; times: number }[] = [];
  private readonly holds: Hold[] = [];
  /** How many calls have reached a hold so far, released or not. */
  heldCalls = 0;

  /** The next `times` calls of `method` reject with `error` (and change nothing). */
  failNext(method: StoreMethod, error: Error, times = 1): void {
    this.failures.push({ method, error, times });
  }

  /**
   * Holds every call of `method` (for `kind`, or any kind) until the returned release is called; the
   * held calls then run against the store as it is at that moment.
   */
  hold(method: StoreMethod, kind?: string): () => void {
    let release: () => void = () => undefined;
    const hold: Hold = { method, kind, gate: new Promise<void>((resolve) => (release = resolve)) };
    this.holds.push(hold);
    return () => {
      this.holds.splice(this.holds.indexOf(hold), 1);
      release();
    };
  }

  override get<R extends Resource>(kind: string, name: string): Promise<R | null> {
    return this.around('get', kind, () => super.get<R>(kind, name));
  }
  override list<R extends Resource>(kind: string, options: ListOptions = {}): Promise<R[]> {
    return this.around('list', kind, () => super.list<R>(kind, options));
  }
  override create<R extends Resource>(resource: R, options: CreateOptions = {}): Promise<R> {
    return this.around('create', resource.kind, () => super.create(resource, options));
  }
  override update<R extends Resource>(resource: R): Promise<R> {
    return this.around('update', resource.kind, () => super.update(resource));
  }
  override delete(kind: string, name: string, resourceVersion?: string): Promise<void> {
    return this.around('delete', kind, () => super.delete(kind, name, resourceVersion));
  }

  private async around<T>(method: StoreMethod, kind: string, call: () => Promise<T>): Promise<T> {
    const hold = this.holds.find((h) => h.method === method && (h.kind === undefined || h.kind === kind));
    if (hold) {
      this.heldCalls += 1;
      await hold.gate;
    }
    const failure = this.failures.find((f) => f.method === method && f.times > 0);
    if (failure) {
      failure.times -= 1;
      throw failure.error;
    }
    return call();
  }
}
