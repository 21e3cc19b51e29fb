import { ApiError } from '../../protocol/errors.js';
import { childRegistry } from '../api/child-registry.js';
import type { AppSubtreeApi, MirrorRequests } from '../app/app-subtree-api.js';
import type { Bus } from '../bus/bus.child.js';
import { daemonHandlers } from './handlers.js';

/**
 * The API's handlers over a root whose App subtree reports `mirrors()` as the test sets it; the bus
 * refuses every request, so a handler that went back out over the bus fails the test.
 */
function handlersWith(mirrors: () => MirrorRequests) {
  const busRequests: string[] = [];
  const bus = {
    nc: {
      request: (subject: string) => {
        busRequests.push(subject);
        return Promise.reject(new Error('no responders'));
      },
    },
  } as unknown as Bus;
  const app = { mirrors } as unknown as AppSubtreeApi;
  const values: Record<string, unknown> = { bus, app };
  const handlers = daemonHandlers({
    instance: 'unit',
    version: '0.0.0',
    startedAt: '2026-01-01T00:00:00.000Z',
    children: () => [],
    requestShutdown: () => undefined,
  })(childRegistry((id) => values[id]));
  return { handlers, busRequests };
}

/** A mirror supervisor that answers every request with `answer`, and keeps what it was asked. */
function mirrorsAnswering(answer: (verb: string) => Promise<unknown>) {
  const asked: unknown[][] = [];
  const owner: MirrorRequests = {
    request: (...args) => {
      asked.push(args);
      return answer(args[2]);
    },
  };
  return { owner, asked };
}

describe('daemonHandlers: container commands', () => {
  it('should hand an action to the mirror supervisor in-process, never over the bus', async () => {
    // Arrange
    const mirrors = mirrorsAnswering(() => Promise.resolve({ queued: true }));
    const { handlers, busRequests } = handlersWith(() => mirrors.owner);

    // Act
    const reply = await handlers['container.action']({ name: 'web', action: 'stop', wait: false });

    // Assert
    expect(reply).toEqual({ queued: true });
    expect(mirrors.asked).toEqual([['Container', 'web', 'action', { action: 'stop', wait: false }]]);
    expect(busRequests).toEqual([]);
  });

  it('should reach the current mirror supervisor after the engine actor restarted', async () => {
    // Arrange
    const before = mirrorsAnswering(() => Promise.resolve({ deleted: false, message: 'old' }));
    const after = mirrorsAnswering(() => Promise.resolve({ deleted: true, message: 'deleted' }));
    let current = before.owner;
    const { handlers } = handlersWith(() => current);
    await handlers['resource.delete']({ kind: 'Container', name: 'web', force: false });

    // Act
    current = after.owner;
    const reply = await handlers['resource.delete']({ kind: 'Container', name: 'web', force: true });

    // Assert
    expect(reply).toEqual({ deleted: true, message: 'deleted' });
    expect([before.asked.length, after.asked]).toEqual([1, [['Container', 'web', 'delete', { force: true }]]]);
  });

  it('should answer Unavailable, as over the bus, while no engine actor runs', async () => {
    const { handlers } = handlersWith(() => {
      throw new Error('app/engine is not running');
    });

    const refused = handlers['container.action']({ name: 'web', action: 'start', wait: true });

    await expect(refused).rejects.toMatchObject({
      code: 'Unavailable',
      message:
        'Container/web: the container engine is not mirrored right now (the App is stopped, or its engine is not moby)',
    });
  });

  it("should pass the owner's ApiError on as it is, and make anything else Internal", async () => {
    const failing = mirrorsAnswering((verb) =>
      verb === 'action'
        ? Promise.reject(new ApiError('Conflict', 'web is being deleted'))
        : Promise.reject(new Error('store unreachable')),
    );
    const { handlers } = handlersWith(() => failing.owner);

    const conflict = handlers['container.action']({ name: 'web', action: 'start', wait: true });
    const internal = handlers['resource.delete']({ kind: 'Container', name: 'web', force: false });

    await expect(conflict).rejects.toMatchObject({ code: 'Conflict', message: 'web is being deleted' });
    await expect(internal).rejects.toMatchObject({ code: 'Internal', message: 'store unreachable' });
  });
});
