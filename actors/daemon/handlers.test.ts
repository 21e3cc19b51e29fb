import { ApiError } from '../../protocol/errors.js';
import { childRegistry } from '../api/child-registry.js';
import type { AppSubtreeApi, LogOpener, MirrorRequests } from '../app/app-subtree-api.js';
import type { Bus } from '../bus/bus.child.js';
import { daemonHandlers } from './handlers.js';

const noEngine = (): never => {
  throw new Error('app/engine is not running');
};

/**
 * The API's handlers over a root whose App subtree reports `mirrors()` and `logs()` as the test sets
 * them; the bus refuses every request, so a handler that went back out over the bus fails the test.
 */
function handlersWith(mirrors: () => MirrorRequests, logs: () => LogOpener = noEngine) {
  const busRequests: string[] = [];
  const bus = {
    nc: {
      request: (subject: string) => {
        busRequests.push(subject);
        return Promise.reject(new Error('no responders'));
      },
    },
  } as unknown as Bus;
  const app = { mirrors, logs } as unknown as AppSubtreeApi;
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

describe('daemonHandlers: container logs', () => {
  const request: Parameters<LogOpener['open']>[0] = {
    name: 'web',
    id: 'stream0123456789',
    follow: true,
    tail: -1,
    since: 0,
    timestamps: false,
    window: 8,
  };

  it('should open the stream on the log server in-process, never over the bus', async () => {
    // Arrange
    const opened: unknown[] = [];
    const server: LogOpener = {
      open: (asked) => {
        opened.push(asked);
        return Promise.resolve({ id: asked.id, tty: false });
      },
    };
    const { handlers, busRequests } = handlersWith(noEngine, () => server);

    // Act
    const reply = await handlers['container.logs'](request);

    // Assert
    expect(reply).toEqual({ id: 'stream0123456789', tty: false });
    expect(opened).toEqual([request]);
    expect(busRequests).toEqual([]);
  });

  it('should answer Unavailable, as over the bus, while no engine connection is open', async () => {
    const { handlers, busRequests } = handlersWith(noEngine, noEngine);

    const refused = handlers['container.logs'](request);

    await expect(refused).rejects.toMatchObject({
      code: 'Unavailable',
      message:
        'Container/web: the container engine is not connected right now (the App is stopped, or its engine is not moby)',
    });
    expect(busRequests).toEqual([]);
  });

  it("should pass the log server's ApiError on as it is, and make anything else Internal", async () => {
    const refusing: LogOpener = { open: () => Promise.reject(new ApiError('NotFound', 'container web not found')) };
    const broken: LogOpener = { open: () => Promise.reject(new Error('pump exploded')) };

    const notFound = handlersWith(noEngine, () => refusing).handlers['container.logs'](request);
    const internal = handlersWith(noEngine, () => broken).handlers['container.logs'](request);

    await expect(notFound).rejects.toMatchObject({ code: 'NotFound', message: 'container web not found' });
    await expect(internal).rejects.toMatchObject({ code: 'Internal', message: 'logs failed: pump exploded' });
  });
});
