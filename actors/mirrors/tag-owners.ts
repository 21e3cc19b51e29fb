/**
 * Which image actor holds each tag, for the mirrors supervisor: a pull can move a tag to another image,
 * and the image that had it must then look again. Kept per actor too, so an actor's exit forgets its
 * tags without a pass over every tag.
 */
import type { MirrorActor } from './mirror-actor.js';

export class TagOwners {
  private readonly owners = new Map<string, MirrorActor>();
  /** The tags each image actor last claimed. */
  private readonly tagsOf = new Map<MirrorActor, readonly string[]>();

  /**
   * `actor` now holds `tags` (and no longer the ones it claimed before); returns the other actors that
   * held one of them, once per tag taken from them.
   */
  claim(actor: MirrorActor, tags: readonly string[]): MirrorActor[] {
    this.forget(actor);
    this.tagsOf.set(actor, tags);
    const losers: MirrorActor[] = [];
    for (const tag of tags) {
      const previous = this.owners.get(tag);
      this.owners.set(tag, actor);
      if (previous && previous !== actor) losers.push(previous);
    }
    return losers;
  }

  /** `actor` holds no tag any more (it exited, or claims again). */
  forget(actor: MirrorActor): void {
    for (const tag of this.tagsOf.get(actor) ?? []) if (this.owners.get(tag) === actor) this.owners.delete(tag);
    this.tagsOf.delete(actor);
  }

  clear(): void {
    this.owners.clear();
    this.tagsOf.clear();
  }
}
