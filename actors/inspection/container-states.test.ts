import type { Resource, WatchEvent } from '../../protocol/resource.schema.js';
import type { ResourceStore } from '../../client/store.js';
import { followContainerStates, type Observed } from './container-states.js';

const id = '0123456789abcdef0123456789abcdef';

function change(type: WatchEvent['type'], status: string, revision: number, dockerName?: string): WatchEvent {
  const object = {
    kind: 'Container',
    metadata: { name: id },
    status: { status, ...(dockerName ? { name: dockerName } : {}) },
  } as unknown as Resource;
  return { type, object, revision };
}

/** A store whose watch yields `changes`, then waits for the abort as a live watch does. */
function storeWith(changes: WatchEvent[]): { store: ResourceStore; aborted: Promise<void> } {
  let markAborted: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => (markAborted = resolve));
  const store = {
    watch: async function* (_options: unknown, signal: AbortSignal) {
      yield* changes;
      if (!signal.aborted)
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      markAborted();
    },
  } as unknown as ResourceStore;
  return { store, aborted };
}

/** Follows until `count` messages were published. */
function follow(store: ResourceStore, count: number): Promise<{ published: Observed[]; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const published: Observed[] = [];
    const stop = followContainerStates(
      store,
      (observed) => {
        published.push(observed);
        if (published.length === count) resolve({ published, stop });
      },
      reject,
    );
  });
}

describe('followContainerStates', () => {
  it('should publish running → exited after the initial running, under the container actor id', async () => {
    // Arrange
    const { store } = storeWith([change('ADDED', 'running', 1), change('MODIFIED', 'exited', 2)]);

    // Act
    const { published, stop } = await follow(store, 1);
    stop();

    // Assert
    expect(published).toEqual([
      { actor: 'container:0123456789ab', type: 'transition', event: 'observed', from: 'running', to: 'exited' },
    ]);
  });

  it('should name the container as docker does when its mirror knows the name', async () => {
    // Arrange
    const { store } = storeWith([change('ADDED', 'running', 1, 'web'), change('MODIFIED', 'exited', 2, 'web')]);

    // Act
    const { published, stop } = await follow(store, 1);
    stop();

    // Assert
    expect(published).toEqual([
      { actor: 'container:0123456789ab', type: 'transition', event: 'observed (web)', from: 'running', to: 'exited' },
    ]);
  });

  it('should publish nothing for a write that keeps the state, and a stop when the container goes away', async () => {
    // Arrange
    const { store } = storeWith([
      change('ADDED', 'running', 1),
      change('MODIFIED', 'running', 2),
      change('DELETED', 'running', 3),
    ]);

    // Act
    const { published, stop } = await follow(store, 1);
    stop();

    // Assert
    expect(published).toEqual([{ actor: 'container:0123456789ab', type: 'stopped', event: 'removed' }]);
  });

  it('should end the watch when stopped', async () => {
    // Arrange
    const { store, aborted } = storeWith([]);
    const stop = followContainerStates(
      store,
      () => undefined,
      () => undefined,
    );

    // Act
    stop();

    // Assert
    await expect(aborted).resolves.toBeUndefined();
  });
});
