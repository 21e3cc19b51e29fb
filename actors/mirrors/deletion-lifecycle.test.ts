/**
 * The deletion lifecycle is one for every kind: what one kind does with a refused delete, every kind does.
 * (A refused container delete used to wait out its whole backoff when another container went away.)
 */
import type { DeleteReply } from '../../protocol/mirrors/commands.schema.js';
import { volumeMirrorName } from '../../protocol/mirrors/volume.schema.js';
import { engineError } from './fake-engine.fixtures.js';
import { containerFixture } from './mirrors.fixtures.js';
import { settle, setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';

const web = containerFixture('web');
const exited = containerFixture('exited');

beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));

afterEach(() => {
  stopMirrors();
  jest.useRealTimers();
});

const kinds = [
  { kind: 'Container', name: web.Id, remove: 'removeContainer' as const, key: web.Id },
  { kind: 'Volume', name: volumeMirrorName('fxdata'), remove: 'removeVolume' as const, key: 'fxdata' },
];

describe('DeletionLifecycle', () => {
  it.each(kinds)(
    'should retry a refused $kind delete at once, before its backoff, when a container is destroyed',
    async ({ kind, name, remove, key }) => {
      // Arrange
      const { sync, supervisor, engine, store } = setupMirrors();
      await sync();
      engine.fail(remove, key, engineError(409, 'in use'));
      const reply = (await supervisor.request(kind, name, 'delete', {})) as DeleteReply;
      await settle();
      const attemptsWhileRefused = engine.count(remove, key);

      // Act
      engine.containers.delete(exited.Id);
      supervisor.route({ Type: 'container', Action: 'destroy', Actor: { ID: exited.Id } });
      await settle();
      await jest.advanceTimersByTimeAsync(1); // the retry "at once" is a timer of 0 ms; the backoff is 1 s
      await settle();

      // Assert
      expect(reply.deleted).toBe(false);
      expect(attemptsWhileRefused).toBe(1);
      expect(engine.count(remove, key)).toBe(2);
      expect(await store.names(kind)).not.toContain(name);
    },
  );
});
