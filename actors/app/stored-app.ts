/**
 * The App actor's reading of the stored App, which may be invalid: written by hand into the bucket,
 * or by an older rdd. The store refuses such a value (client/store.ts); this decides what the actor
 * does instead, choosing what is safest for the user's data:
 * - the VM and engine go on with the last valid spec the actor read (nothing started or stopped on a
 *   spec nobody can read; defaults would mean `running=false` and stop the user's engine);
 * - the invalid value is never overwritten, not even by status writes: it may be the user's hand edit
 *   with one typo, and only they know what they meant;
 * - `rdd get` shows the last valid App with `Settled=False/InvalidStoredSpec` naming the key and the
 *   issue; with no valid App read since the actor started there is nothing safe to show, and it
 *   answers with that same message as an error;
 * - `rdd set` is refused with the same message until the value is repaired.
 */
import type { App } from '../../protocol/app.schema.js';
import { setCondition, type ConditionReport } from '../../protocol/condition.schema.js';
import { InvalidStoredValueError } from '../../client/store.js';

export const invalidStoredSpecReason = 'InvalidStoredSpec';

export interface StoredAppReading {
  /** The valid stored App, or the last valid one read when the stored one is invalid (null: none). */
  app: App | null;
  invalid: InvalidStoredValueError | null;
}

export class StoredApp {
  private lastGood: App | null = null;

  constructor(
    private readonly read: () => Promise<App | null>,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** Reads the stored App; an invalid one leaves the last valid one in its place. */
  async current(): Promise<StoredAppReading> {
    try {
      const app = await this.read();
      this.lastGood = app;
      return { app, invalid: null };
    } catch (error) {
      if (!(error instanceof InvalidStoredValueError)) throw error;
      return { app: this.lastGood, invalid: error };
    }
  }

  /** What `rdd get` answers; see the header. */
  async shown(): Promise<App | null> {
    const { app, invalid } = await this.current();
    if (!invalid) return app;
    if (!app) throw new InvalidStoredValueError(invalid.key, invalid.revision, `${invalid.issue}; ${noneReadHint}`);
    const condition = invalidStoredSpecCondition(invalid, app.metadata.generation ?? 0);
    return {
      ...app,
      status: { ...app.status, conditions: setCondition(app.status.conditions, condition, this.now()) },
    };
  }
}

const repairHint =
  'rdd goes on with the last valid App it read and writes nothing over the stored value; put a valid App back under that key, or start over with rdd svc delete';

const noneReadHint =
  'no valid App was read since the App actor started, so the VM and engine get no spec until it is repaired; put a valid App back under that key, or start over with rdd svc delete';

export function invalidStoredSpecCondition(invalid: InvalidStoredValueError, generation: number): ConditionReport {
  return {
    type: 'Settled',
    status: 'False',
    reason: invalidStoredSpecReason,
    message: `${invalid.message}; ${repairHint}`,
    observedGeneration: generation,
  };
}
