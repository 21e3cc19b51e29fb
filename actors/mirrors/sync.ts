/**
 * The snapshot half of DESIGN.md §5: list every object of every mirrored kind, then have each one's
 * actor inspect it (bounded parallelism) and write what changed. Reconciles in place: a mirror is
 * removed only when its object is missing from the list *and* the engine confirms it with a 404, so a
 * failed inspect (a 503, a timeout) never deletes a mirror (the I5 finding); the actor keeps it and
 * retries with backoff. The stored mirrors are read before the engine is listed, so an object created
 * meanwhile (and mirrored by its event) is never taken for one that went away.
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
import type { ObjectKind, Observed } from './mirror-actor.js';
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
  add(await timings.time('namespace', () => writeNamespace(deps)));
  const tasks: (() => Promise<Observed>)[] = [];
  const invalid: InvalidStoredValueError[] = [];
  /** Keys whose latest entry is a delete marker (after a sweep, all of them): created over it in one write. */
  const deleted = new Map<string, number>();
  for (const kind of mirroredKinds) {
    if (kind === 'Image' && !supervisor.images) {
      add(await removeImageMirrors(deps));
      continue;
    }
    // Stored first, then listed: see the header.
    const onDeleted = (name: string, revision: number) => void deleted.set(`${kind}.${name}`, revision);
    const stored = await timings.time('store', async () =>
      groupByKey(await store.list<StoredMirror>(kind, { onInvalid: (value) => invalid.push(value), onDeleted })),
    );
    const kept =
      kind === 'Container'
        ? await timings.time('kept', () => keptDesiredStates(store))
        : new Map<string, DesiredSeed>();
    const listed = new Set(await timings.time('list', () => listKeys(engine, kind)));
    timings.timeSync('actors', () => {
      for (const key of new Set([...listed, ...stored.keys()])) {
        const actor = supervisor.actorFor(kind, key, stored.get(key) ?? [], kept.get(key));
        tasks.push(() => actor.observe());
      }
    });
    // The containers whose desired states were kept and that the engine no longer has.
    for (const key of kept.keys()) if (!listed.has(key)) await forgetDesiredState(store, key);
  }
  for (const value of invalid) rewriteOnNextWrite(store, value.key);
  rememberDeletions(store, deleted);
  try {
    await timings.time('observe', () => runLimited(tasks, deps.concurrency ?? 16, add, () => (totals.failed += 1)));
  } finally {
    forgetDeletions(store);
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

/** Runs `tasks` with at most `limit` in flight; a failed task is counted, never fatal to the sync. */
async function runLimited<T>(
  tasks: readonly (() => Promise<T>)[],
  limit: number,
  onDone: (value: T) => void,
  onFailed: (error: unknown) => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task().then(onDone, onFailed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
