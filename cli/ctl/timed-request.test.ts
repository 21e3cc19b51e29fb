import { ApiError } from '../../protocol/api-error.js';
import type { Resource } from '../../protocol/resource.schema.js';
import { exitCodeFor, ExitCode, WaitTimeoutError } from '../exit-codes.js';
import { lastSeenOf, withinTimeout } from './timed-request.js';

const notResponding = {
  type: 'ContainerEngineReady',
  status: 'False',
  reason: 'NotResponding',
  message: 'the engine at /x/docker.sock has not answered since 10:00',
  lastTransitionTime: '2025-01-01T10:00:05Z',
  observedGeneration: 1,
};

function resource(kind: string, name: string, status: object, metadata: object = {}): Resource {
  return { apiVersion: 'v1', kind, metadata: { name, ...metadata }, status };
}

/** A store holding these resources, read the way `lastSeenOf` reads it. */
function storeOf(...resources: Resource[]) {
  return {
    get: <R extends Resource>(kind: string, name: string) =>
      Promise.resolve(
        (resources.find((item) => item.kind === kind && item.metadata.name === name) as R | undefined) ?? null,
      ),
  };
}

describe('withinTimeout', () => {
  it('should turn a request that ran out of time into a wait timeout (exit 4) naming what and the last state', async () => {
    const request = Promise.reject(new ApiError('Timeout', 'no answer to container.action within 5000 ms'));

    const outcome = withinTimeout(request, {
      what: 'stop of container web',
      timeoutMs: 5_000,
      lastSeen: () => Promise.resolve('Container web, is running'),
    });

    const error = await outcome.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe(
      'timed out after 5s waiting for stop of container web; last seen: Container web, is running',
    );
    expect(exitCodeFor(error)).toBe(ExitCode.timeout);
  });

  it.each([
    ['a refusal', new ApiError('Invalid', 'unknown action')],
    ['a daemon that is gone', new ApiError('Unavailable', 'the rdd daemon is not answering')],
    ['an unexpected failure', new Error('boom')],
  ])('should leave %s as it is', async (_case, error) => {
    const lastSeen = jest.fn(() => Promise.resolve('unused'));

    await expect(withinTimeout(Promise.reject(error), { what: 'x', timeoutMs: 1_000, lastSeen })).rejects.toBe(error);
    expect(lastSeen).not.toHaveBeenCalled();
  });

  it('should still time out with a word on why the last state is unknown when reading it fails', async () => {
    const outcome = withinTimeout(Promise.reject(new ApiError('Timeout', 'late')), {
      what: 'the deletion of container/web',
      timeoutMs: 2_000,
      lastSeen: () => Promise.reject(new Error('bus closed')),
    });

    await expect(outcome).rejects.toThrow('last seen: unknown (bus closed)');
  });

  it('should pass the reply through when it comes in time', async () => {
    await expect(
      withinTimeout(Promise.resolve({ queued: true }), {
        what: 'x',
        timeoutMs: 1,
        lastSeen: () => Promise.resolve(''),
      }),
    ).resolves.toEqual({ queued: true });
  });
});

describe('lastSeenOf', () => {
  it('should name the container state, its last finished action and an engine that is not ready', async () => {
    const store = storeOf(
      resource('Container', 'web', { status: 'running', lastAction: { action: 'pause', state: 'Succeeded' } }),
      resource('App', 'app', { conditions: [notResponding] }),
    );

    await expect(lastSeenOf(store, 'Container', 'web')).resolves.toBe(
      'Container web, is running, last finished action pause Succeeded; ' +
        'ContainerEngineReady=False/NotResponding: the engine at /x/docker.sock has not answered since 10:00',
    );
  });

  it('should say a mirror is marked for deletion and why the engine refused it, leaving out a ready engine', async () => {
    const refused = { type: 'DeleteFailed', status: 'True', reason: 'Conflict', message: 'image is in use' };
    const store = storeOf(
      resource('Image', 'busybox', { conditions: [refused] }, { deletionTimestamp: '2025-01-01T10:00:00Z' }),
      resource('App', 'app', { conditions: [{ ...notResponding, status: 'True', reason: 'Connected' }] }),
    );

    await expect(lastSeenOf(store, 'Image', 'busybox')).resolves.toBe(
      'Image busybox, marked for deletion, delete failed: image is in use',
    );
  });

  it('should say the mirror is gone when it no longer exists', async () => {
    await expect(lastSeenOf(storeOf(), 'Volume', 'data')).resolves.toBe('Volume data is gone');
  });
});
