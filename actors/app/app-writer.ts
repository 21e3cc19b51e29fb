/**
 * The only code that writes the App resource. Every write goes through one queue and is a
 * compare-and-swap on the revision last read; a Conflict (a second daemon, a hand edit) re-reads and
 * retries instead of merging blindly.
 *
 * Why an `rdd set` may be sent again safely. A client that lost its answer (the bus restarted, the
 * reply timed out) cannot know whether its change was stored, so it sends the very same request again
 * until it gets an answer. Every request carries an id the client picked and the generation of the App
 * it read before sending (0: no App yet). The writer applies a request only on top of exactly that
 * generation, so request X based on generation G can only ever become generation G+1. Each spec write
 * records "generation G+1 was made by request X" in the App's ledger annotation (the last
 * {@link ledgerSize} generations). A request is then answered, in this order:
 * - the ledger says G+1 is X: applied before, answered "applied at G+1" and nothing is written;
 * - its values are already in the spec: nothing to do, answered with the current generation;
 * - the App is still at G: stored as G+1 with X in the ledger;
 * - G+1 was made by someone else: not applied, a Conflict `BaseMoved` naming the current generation;
 *   the client reads the App again and sends the change based on that generation;
 * - the ledger no longer reaches back to G+1: nobody can tell any more, a Conflict `OutcomeUnknown`.
 * So a retry either finds its own earlier write or is refused; it never lands a second time on top of
 * someone else's later change. Dry runs write nothing and skip all of this.
 */
import { appApiVersion, appKind, appName, type App, type AppSpec } from '../../protocol/app.schema.js';
import { setCondition, type ConditionReport } from '../../protocol/condition.schema.js';
import { setConflictReasons, type SetOutcome, type SetRequestIdentity } from '../../protocol/api.schema.js';
import { ApiError, ConflictError } from '../../protocol/errors.js';
import { InvalidStoredValueError, type ResourceStore } from '../../client/store.js';
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
   * Computes the new spec from the App as stored now and stores it as the generation after the one
   * `request` was based on, creating the App or bumping its generation; see the header for how a
   * request sent twice is told apart. Reading, deciding and writing happen inside the queue.
   */
  writeSpec(
    request: SetRequestIdentity,
    compute: (current: App | null) => Promise<AppSpec>,
  ): Promise<{ app: App; outcome: SetOutcome; generation: number }> {
    return this.serialize(() =>
      this.withRetry(async () => {
        const current = await this.read();
        const decision = await decideSpecWrite(current, request, compute);
        if (decision.kind === 'answer') {
          return { app: decision.app, outcome: decision.outcome, generation: decision.generation };
        }
        const { spec } = decision;
        const generation = request.basedOnGeneration + 1;
        const annotations = {
          ...current?.metadata.annotations,
          [ledgerAnnotation]: recordInLedger(current, generation, request.id),
        };
        if (!current) {
          const app: App = {
            apiVersion: appApiVersion,
            kind: appKind,
            metadata: { name: appName, generation, creationTimestamp: this.now(), annotations },
            spec,
            status: { conditions: [] },
          };
          return { app: await this.store.create(app), outcome: 'applied', generation };
        }
        const app = await this.store.update<App>({
          ...current,
          metadata: { ...current.metadata, generation, annotations },
          spec,
        });
        return { app, outcome: 'applied', generation };
      }),
    );
  }

  /**
   * Replaces the conditions (stamping transition times) and the VM details; skips unchanged content.
   * An invalid stored App is left as it is (see stored-app.ts): null, as when there is none.
   */
  writeStatus(reports: readonly ConditionReport[], vm: VmReport | null): Promise<App | null> {
    return this.serialize(() =>
      this.withRetry(async () => {
        const current = await this.read().catch((error: unknown) => {
          if (error instanceof InvalidStoredValueError) return null;
          throw error;
        });
        if (!current) return null;
        const now = this.now();
        const conditions = reports.reduce((list, report) => setCondition(list, report, now), current.status.conditions);
        const vmStatus = vm
          ? {
              restarts: vm.restarts,
              ...(vm.enginePid === undefined ? {} : { enginePid: vm.enginePid }),
              ...(vm.socket === undefined ? {} : { socket: vm.socket }),
              ...(vm.dockerContext === undefined ? {} : { dockerContext: vm.dockerContext }),
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

/** The annotation that maps each recent generation to the request that made it (JSON). */
export const ledgerAnnotation = 'app.rancherdesktop.io/set-requests';
/** How many generations the ledger remembers; a retry must arrive before this many later writes. */
export const ledgerSize = 32;

export type SpecWriteDecision =
  | { kind: 'answer'; app: App; outcome: Exclude<SetOutcome, 'applied'>; generation: number }
  /** Store `spec` as generation `basedOnGeneration + 1`. */
  | { kind: 'write'; spec: AppSpec };

/**
 * What to do with a set `request` given the App stored now; `compute` makes the changed spec of it
 * (and rejects an inadmissible change). Throws a Conflict when the request must not be applied; see
 * the header.
 */
export async function decideSpecWrite(
  current: App | null,
  request: SetRequestIdentity,
  compute: (current: App | null) => Promise<AppSpec>,
): Promise<SpecWriteDecision> {
  const base = request.basedOnGeneration;
  const generation = current?.metadata.generation ?? 0;
  const ledger = readLedger(current);
  // Before admission: a change stored earlier is answered even if a later one made it inadmissible now.
  if (current && ledger.get(base + 1) === request.id) {
    return { kind: 'answer', app: current, outcome: 'already-applied', generation: base + 1 };
  }
  const spec = await compute(current);
  if (current && sameJson(current.spec, spec)) {
    return { kind: 'answer', app: current, outcome: 'unchanged', generation };
  }
  if (generation === base) return { kind: 'write', spec };
  if (generation > base && !ledger.has(base + 1)) {
    throw new ApiError(
      'Conflict',
      `cannot tell whether request ${request.id} was applied: the App moved from generation ${base} to ${generation} and remembers only its last ${ledgerSize} changes; see it with rdd get and set again if needed`,
      { reason: setConflictReasons.outcomeUnknown, generation },
    );
  }
  throw new ApiError(
    'Conflict',
    `not applied: the App changed from generation ${base} to ${generation} since it was read`,
    {
      reason: setConflictReasons.baseMoved,
      generation,
    },
  );
}

function readLedger(app: App | null): Map<number, string> {
  const text = app?.metadata.annotations?.[ledgerAnnotation];
  if (!text) return new Map();
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return new Map();
    return new Map(
      Object.entries(parsed)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([generation, id]) => [Number(generation), id]),
    );
  } catch {
    // A hand-edited, unreadable ledger remembers nothing: stale retries get OutcomeUnknown.
    return new Map();
  }
}

function recordInLedger(app: App | null, generation: number, id: string): string {
  const ledger = readLedger(app);
  ledger.set(generation, id);
  const kept = [...ledger.entries()].sort(([a], [b]) => a - b).slice(-ledgerSize);
  return JSON.stringify(Object.fromEntries(kept));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
