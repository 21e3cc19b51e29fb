/**
 * The snapshot half of DESIGN.md §5: list every object of every mirrored kind, then have each one's
 * actor inspect it (bounded parallelism) and write what changed. Reconciles in place: a mirror is
 * removed only when its object is missing from the list *and* the engine confirms it with a 404, so a
 * failed inspect (a 503, a timeout) never deletes a mirror (the I5 finding); the actor keeps it and
 * retries with backoff. So the store and the engine can be read side by side, and each kind on its own
 * (the containers' inspects start while the other kinds are still read): a key found in only one of the
 * two reads, because its object came or went meanwhile, is inspected like any other, and only the
 * engine's 404 removes its mirror.
 *
 * A stored mirror that is not valid (a hand edit, an older rdd) is rdd's own copy gone bad: the list
 * leaves it out, its owner writes the engine's view over it, and one that no engine object claims is
 * removed at the revision it was read at.
 */
import type { Logger } from 'winston';
import type { SyncReport, SyncTrigger } from '../../protocol/mirrors/commands.schema.js';
import { containerNamespaceKind, type ContainerNamespace } from '../../protocol/mirrors/container-namespace.schema.js';
import { mobyNamespace } from '../../protocol/mirrors/mirror.schema.js';
import type { MirrorStore } from './mirror-store.js';
import type { EngineClient } from '../engine/engine-client.js';
import { namespaceMirror } from './build-namespace.js';
import type { MirrorActor, ObjectKind, Observed } from './mirror-actor.js';
import { storedKeyOf, type StoredMirror } from './mirror-actors.js';
import type { MirrorSupervisor } from './mirror-supervisor.js';
import { forgetDeletions, forgetRewrite, rememberDeletions, rewriteOnNextWrite, writeMirror } from './mirror-writer.js';
import { absentIfInvalid } from './mirror-store.js';
import type { InvalidStoredValueError } from '../../client/store.js';
import { ConflictError, NotFoundError } from '../../protocol/errors.js';
import { forgetDesiredState, keepDesiredStates, keptDesiredStates, type DesiredSeed } from './kept-desired-states.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { SyncTimings } from './sync-timings.js';

export interface SyncDeps {
  supervisor: MirrorSupervisor;
  store: MirrorStore;
  engine: EngineClient;
  namespace: string;
  logger: Logger;
  /** Inspects in flight at once (default 16). */
  concurrency?: number;
  /** Where the phases' times go (the session logs them with the report). */
  timings?: SyncTimings;
}

const mirroredKinds: readonly ObjectKind[] = ['Container', 'Volume', 'Network', 'Image'];
/** How many changed mirrors a report names; the counts are always complete. */
const changedListLimit = 50;

export async function syncMirrors(deps: SyncDeps, trigger: SyncTrigger): Promise<SyncReport> {
  const { supervisor, store, engine } = deps;
  const timings = deps.timings ?? new SyncTimings();
  const started = Date.now();
  const totals = { created: 0, updated: 0, removed: 0, failed: 0, changed: [] as string[] };
  const add = (observed: Observed) => {
    totals.created += observed.created;
    totals.updated += observed.updated;
    totals.removed += observed.removed;
    totals.changed.push(...observed.changed.slice(0, changedListLimit - totals.changed.length));
  };
  const invalid: InvalidStoredValueError[] = [];
  const inspects = new Limiter(deps.concurrency ?? 16);
  let firstObserveAt: number | undefined;
  const observe = (actor: MirrorActor): Promise<void> => {
    firstObserveAt ??= performance.now();
    return inspects.run(() => actor.observe()).then(add, () => void (totals.failed += 1));
  };

  /** One kind, read on its own: its stored mirrors and the engine's list, then each actor observes. */
  const syncKind = async (kind: ObjectKind): Promise<void> => {
    if (kind === 'Image' && !supervisor.images) return add(await removeImageMirrors(deps));
    const found: InvalidStoredValueError[] = [];
    /** Keys whose latest entry is a delete marker (after a sweep, all of them): created over it in one write. */
    const deleted = new Map<string, number>();
    const onDeleted = (name: string, revision: number) => void deleted.set(`${kind}.${name}`, revision);
    // The store and the engine are read side by side (see the header).
    const [stored, kept, listed] = await Promise.all([
      timings.time('store', async () =>
        groupByKey(await store.list<StoredMirror>(kind, { onInvalid: (value) => found.push(value), onDeleted })),
      ),
      kind === 'Container'
        ? timings.time('kept', () => keptDesiredStates(store))
        : Promise.resolve(new Map<string, DesiredSeed>()),
      timings.time('list', async () => new Set(await listKeys(engine, kind))),
    ]);
    invalid.push(...found);
    for (const value of found) rewriteOnNextWrite(store, value.key);
    rememberDeletions(store, deleted);
    const actors = timings.timeSync('actors', () =>
      [...new Set([...listed, ...stored.keys()])].map((key) =>
        supervisor.actorFor(kind, key, stored.get(key) ?? [], kept.get(key)),
      ),
    );
    // The containers whose desired states were kept and that the engine no longer has.
    for (const key of kept.keys()) if (!listed.has(key)) await forgetDesiredState(store, key);
    await Promise.all(actors.map(observe));
  };

  // The kinds overlap: the containers' inspects start while the other kinds are still being read. One
  // limit on inspects in flight covers them all.
  try {
    await settleAll([writeNamespace(deps).then(add), ...mirroredKinds.map(syncKind)]);
  } finally {
    forgetDeletions(store);
    if (firstObserveAt !== undefined) timings.record('observe', performance.now() - firstObserveAt);
  }
  totals.removed += await timings.time('cleanup', () => removeUnclaimed(store, invalid));
  timings.finish();
  return {
    trigger,
    ...totals,
    durationMs: Date.now() - started,
    completedAt: new Date().toISOString(),
  };
}

/** Removes every mirror and stops every actor: the engine is no longer wanted (VM stopped, containerd). */
export async function sweepMirrors(supervisor: MirrorSupervisor, store: MirrorStore): Promise<number> {
  await supervisor.stopActors();
  // The user's intents outlive the mirrors: they come back with the containers (kept-desired-states.ts).
  await keepDesiredStates(store, await store.list<Container>('Container'));
  let removed = 0;
  for (const kind of [...mirroredKinds, containerNamespaceKind]) {
    const mirrors = await store.list(kind);
    await Promise.all(mirrors.map((mirror) => store.delete(kind, mirror.metadata.name)));
    removed += mirrors.length;
  }
  return removed;
}

/** `containerEngine.mirrorImages=false`: image actors stop and their mirrors go. */
export async function removeImageMirrors({
  supervisor,
  store,
}: Pick<SyncDeps, 'supervisor' | 'store'>): Promise<Observed> {
  supervisor.stopKind('Image');
  const mirrors = await store.list('Image');
  await Promise.all(mirrors.map((mirror) => store.delete('Image', mirror.metadata.name)));
  return { created: 0, updated: 0, removed: mirrors.length, changed: mirrors.map((m) => `Image/${m.metadata.name}`) };
}

/** Removes the invalid values no owner wrote over (still at the revision read); returns how many. */
async function removeUnclaimed(store: MirrorStore, invalid: readonly InvalidStoredValueError[]): Promise<number> {
  let removed = 0;
  for (const { key, revision } of invalid) {
    const dot = key.indexOf('.');
    try {
      await store.delete(key.slice(0, dot), key.slice(dot + 1), String(revision));
      forgetRewrite(store, key);
      removed += 1;
    } catch (error) {
      // Written over by its owner (or gone) since: repaired, nothing to remove.
      if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
    }
  }
  return removed;
}

async function writeNamespace({ store, namespace, logger }: SyncDeps): Promise<Observed> {
  const stored = await store.get<ContainerNamespace>(containerNamespaceKind, mobyNamespace).catch(absentIfInvalid);
  const { outcome } = await writeMirror(store, stored, namespaceMirror({ namespace }), logger);
  return outcome === 'unchanged'
    ? { created: 0, updated: 0, removed: 0, changed: [] }
    : {
        created: outcome === 'created' ? 1 : 0,
        updated: outcome === 'updated' ? 1 : 0,
        removed: 0,
        changed: [`${containerNamespaceKind}/${mobyNamespace}`],
      };
}

function listKeys(engine: EngineClient, kind: ObjectKind): Promise<string[]> {
  switch (kind) {
    case 'Container':
      return engine.listContainerIds();
    case 'Image':
      return engine.listImageIds();
    case 'Volume':
      return engine.listVolumeNames();
    case 'Network':
      return engine.listNetworkIds();
  }
}

function groupByKey(mirrors: StoredMirror[]): Map<string, StoredMirror[]> {
  const groups = new Map<string, StoredMirror[]>();
  for (const mirror of mirrors) {
    const key = storedKeyOf(mirror);
    groups.set(key, [...(groups.get(key) ?? []), mirror]);
  }
  return groups;
}

/** Waits for every one of `work`; then rejects with the first failure, if any (nothing left running). */
async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const failure = (await Promise.allSettled(work)).find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}

/** At most `limit` tasks in flight; a finished task hands its slot to the next one waiting. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
