import type { MirrorActor } from './mirror-actor.js';
import { TagOwners } from './tag-owners.js';

const actor = (key: string) => ({ kind: 'Image', key }) as MirrorActor;

describe('TagOwners', () => {
  it('should hand back the actor a tag was taken from, and not the claimer itself', () => {
    // Arrange
    const tags = new TagOwners();
    const old = actor('old');
    const pulled = actor('new');
    tags.claim(old, ['app:1', 'app:latest']);

    // Act
    const losers = tags.claim(pulled, ['app:latest']);
    const again = tags.claim(pulled, ['app:latest', 'app:2']);

    // Assert
    expect(losers).toEqual([old]);
    expect(again).toEqual([]);
  });

  it('should forget the tags of an actor that exited, so a later claim takes them from no one', () => {
    // Arrange
    const tags = new TagOwners();
    const gone = actor('gone');
    tags.claim(gone, ['app:latest']);

    // Act
    tags.forget(gone);
    const losers = tags.claim(actor('next'), ['app:latest']);

    // Assert
    expect(losers).toEqual([]);
  });

  it('should leave a tag with its new owner when the actor that lost it claims again', () => {
    // Arrange
    const tags = new TagOwners();
    const first = actor('first');
    const second = actor('second');
    tags.claim(first, ['app:latest']);
    tags.claim(second, ['app:latest']);

    // Act
    tags.claim(first, []);
    const losers = tags.claim(actor('third'), ['app:latest']);

    // Assert
    expect(losers).toEqual([second]);
  });
});
