/**
 * Which actor each kind of engine object gets, and the stored mirrors a (re)started actor begins with:
 * the part of the mirrors supervisor that knows the kinds, so the supervisor itself does not.
 */
import type { Container } from '../../protocol/mirrors/container.schema.js';
import type { Image } from '../../protocol/mirrors/image.schema.js';
import type { Network } from '../../protocol/mirrors/network.schema.js';
import type { Volume } from '../../protocol/mirrors/volume.schema.js';
import { ContainerActor } from './container.actor.js';
import { EngineObjectActor } from './engine-object.actor.js';
import type { DesiredSeed } from './kept-desired-states.js';
import type { MirrorActor, MirrorActorContext, ObjectKind } from './mirror-actor.js';
import { absentIfInvalid, type MirrorStore } from './mirror-store.js';
import { imageAdapter, networkAdapter, volumeAdapter } from './object-adapters.js';

export type StoredMirror = Container | Image | Volume | Network;

/** A new actor for `kind`/`key` with its stored mirrors (a container without one: the desired state kept for it). */
export function createMirrorActor(
  kind: ObjectKind,
  key: string,
  context: MirrorActorContext,
  stored: readonly StoredMirror[],
  seed?: DesiredSeed,
): MirrorActor {
  switch (kind) {
    case 'Container':
      return new ContainerActor(key, (stored[0] as Container | undefined) ?? null, context, seed);
    case 'Image':
      return new EngineObjectActor(imageAdapter, key, stored as Image[], context);
    case 'Volume':
      return new EngineObjectActor(volumeAdapter, key, stored as Volume[], context);
    case 'Network':
      return new EngineObjectActor(networkAdapter, key, stored as Network[], context);
  }
}

/** The mirrors stored for the engine object `kind`/`key`, as a restarted actor reads them back. */
export async function storedMirrorsOf(store: MirrorStore, kind: ObjectKind, key: string): Promise<StoredMirror[]> {
  if (kind === 'Container') {
    const stored = await store.get<Container>('Container', key).catch(absentIfInvalid);
    return stored ? [stored] : [];
  }
  const all = await store.list<StoredMirror>(kind);
  return all.filter((mirror) => storedKeyOf(mirror) === key);
}

/** The engine key a stored mirror belongs to: container ID, image ID, volume name, network ID. */
export function storedKeyOf(mirror: StoredMirror): string {
  switch (mirror.kind) {
    case 'Container':
      return mirror.metadata.name;
    case 'Image':
      return mirror.status.id;
    case 'Volume':
      return mirror.status.name;
    case 'Network':
      return mirror.status.id;
  }
}
