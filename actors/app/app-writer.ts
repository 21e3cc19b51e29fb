/**
 * The only code that writes the App resource. Every write goes through one queue and is a
 * compare-and-swap on the revision last read; a Conflict (a second daemon, a hand edit) re-reads and
 * retries instead of merging blindly.
 */
import { appApiVersion, appKind, appName, type App, type AppSpec } from '../../protocol/app.schema.js';
import { setCondition, type ConditionReport } from '../../protocol/condition.schema.js';
import { ConflictError } from '../../protocol/errors.js';
import type { ResourceStore } from '../../protocol/store.js';
import type { VmReport } from '../../protocol/vm-engine.schema.js';

const maxConflictRetries = 5;

export class AppWriter {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ResourceStore,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  read(): Promise<App | null> {
    return this.store.get<App>(appKind, appName);
  }

  /** Runs `write` after every earlier write has finished, so writes never interleave. */
  serialize<T>(write: () => Promise<T>): Promise<T> {
    const result = this.queue.then(write);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Computes the new spec from the App as stored now and stores it, creating the App or bumping its
   * generation; an unchanged spec is not written. Reading, computing and writing happen inside the
   * queue, so two concurrent `rdd set`s on different properties both take effect.
   */
  writeSpec(compute: (current: App | null) => Promise<AppSpec>): Promise<{ app: App; changed: boolean }> {
    return this.serialize(() =>
      this.withRetry(async () => {
        const current = await this.read();
        const spec = await compute(current);
        if (!current) {
          const app: App = {
            apiVersion: appApiVersion,
            kind: appKind,
            metadata: { name: appName, generation: 1, creationTimestamp: this.now() },
            spec,
            status: { conditions: [] },
          };
          return { app: await this.store.create(app), changed: true };
        }
        if (sameJson(current.spec, spec)) return { app: current, changed: false };
        const generation = (current.metadata.generation ?? 0) + 1;
        const app = await this.store.update<App>({ ...current, metadata: { ...current.metadata, generation }, spec });
        return { app, changed: true };
      }),
    );
  }

  /** Replaces the conditions (stamping transition times) and the VM details; skips unchanged content. */
  writeStatus(reports: readonly ConditionReport[], vm: VmReport | null): Promise<App | null> {
    return this.serialize(() =>
      this.withRetry(async () => {
        const current = await this.read();
        if (!current) return null;
        const now = this.now();
        const conditions = reports.reduce((list, report) => setCondition(list, report, now), current.status.conditions);
        const vmStatus = vm
          ? {
              restarts: vm.restarts,
              ...(vm.enginePid === undefined ? {} : { enginePid: vm.enginePid }),
              ...(vm.socket === undefined ? {} : { socket: vm.socket }),
            }
          : current.status.vm;
        const status = { conditions, ...(vmStatus ? { vm: vmStatus } : {}) };
        if (sameJson(status, current.status)) return current;
        return this.store.update<App>({ ...current, status });
      }),
    );
  }

  private async withRetry<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ConflictError) || tries >= maxConflictRetries) throw error;
      }
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
