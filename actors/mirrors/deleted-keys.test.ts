/**
 * A sync after a sweep creates every mirror over its key's delete marker: one compare-and-swap on the
 * marker the listing reported, never a blind write over something written since.
 */
import winston from 'winston';
import { ConflictError } from '../../protocol/errors.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { containerMirror } from './build-container.js';
import { containerFixture, OPTIONS } from './mirrors.fixtures.js';
import { setupMirrors, stopMirrors } from './mirror-supervisor.fixtures.js';
import { forgetDeletions, rememberDeletions, writeMirror } from './mirror-writer.js';
import { TestStore } from './nats-store.fixtures.js';
import { sweepMirrors } from './sync.js';

const web = containerFixture('web');
const exited = containerFixture('exited');

afterEach(stopMirrors);

/** The delete markers a listing of `kind` reports, by name. */
async function markers(store: TestStore, kind: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  await store.list(kind, { onDeleted: (name, revision) => found.set(name, revision) });
  return found;
}

function recordingLogger(): { logger: winston.Logger; warnings: string[] } {
  const warnings: string[] = [];
  const logger = winston.createLogger({ silent: true });
  logger.warn = ((message: string) => {
    warnings.push(message);
    return logger;
  }) as winston.LeveledLogMethod;
  return { logger, warnings };
}

describe('creating mirrors over delete markers', () => {
  it('should create every container a sweep removed with one write on the marker the listing reported', async () => {
    // Arrange
    const { store, sync, supervisor } = setupMirrors();
    await sync();
    await sweepMirrors(supervisor, store);
    const deleted = await markers(store, 'Container');
    const create = jest.spyOn(store, 'create');

    // Act
    const report = await sync('reconnect');

    // Assert
    expect([...deleted.keys()].sort()).toEqual([web.Id, exited.Id].sort());
    const containerCreates = create.mock.calls.filter(([resource]) => resource.kind === 'Container');
    expect(containerCreates.map(([resource, options]) => [resource.metadata.name, options]).sort()).toEqual(
      [...deleted].map(([name, deletedAt]) => [name, { deletedAt }]).sort(),
    );
    expect(await store.names('Container')).toEqual([web.Id, exited.Id].sort());
    expect(report).toMatchObject({ failed: 0, removed: 0 });
    expect(report.created).toBeGreaterThanOrEqual(2);
  });

  it('should report nothing deleted for a key whose latest value is a put', async () => {
    // Arrange
    const { store, sync } = setupMirrors();
    await sync();

    // Act
    const deleted = await markers(store, 'Container');

    // Assert
    expect(await store.names('Container')).toHaveLength(2);
    expect(deleted.size).toBe(0);
  });

  it('should refuse a create on a marker that is no longer the key’s latest revision', async () => {
    // Arrange
    const store = new TestStore();
    const mirror = containerMirror(web, OPTIONS);
    await store.create(mirror);
    await store.delete('Container', web.Id);
    const [firstMarker] = [...(await markers(store, 'Container')).values()];
    await store.create(mirror);
    await store.delete('Container', web.Id);

    // Act
    const attempt = store.create(mirror, { deletedAt: firstMarker! });

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    expect(await store.storedText(`Container.${web.Id}`)).toBeUndefined();
  });

  it('should write over a value put after its marker was listed only at that value’s revision, and say so', async () => {
    // Arrange
    const store = new TestStore();
    const { logger, warnings } = recordingLogger();
    const mirror = containerMirror(web, OPTIONS);
    await store.create(mirror);
    await store.delete('Container', web.Id);
    rememberDeletions(store, new Map([...(await markers(store, 'Container'))].map(([n, r]) => [`Container.${n}`, r])));
    const meanwhile = await store.create<Container>({ ...mirror, spec: { state: 'running' } });

    // Act
    const written = await writeMirror(store, null, mirror, logger);
    forgetDeletions(store);

    // Assert
    expect(warnings).toEqual([expect.stringContaining(`Container/${web.Id}`)]);
    expect(written.outcome).toBe('updated');
    expect(Number(written.mirror.metadata.resourceVersion)).toBe(Number(meanwhile.metadata.resourceVersion) + 1);
    expect(written.mirror.spec.state).toBe('unknown');
  });
});
