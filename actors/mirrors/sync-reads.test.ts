/**
 * The sync reads the store, then lists the engine: a key found in only one of the two reads is
 * inspected like any other, so an object that came or went between them is never lost or kept wrongly,
 * and one limit holds the inspects in flight across every kind.
 */
import { containerFixture, NAMESPACE } from './mirrors.fixtures.js';
import { FakeEngine } from './fake-engine.fixtures.js';
import { setupMirrors, silentLogger, stopMirrors } from './mirror-supervisor.fixtures.js';
import { syncMirrors } from './sync.js';

const web = containerFixture('web');
const exited = containerFixture('exited');

afterEach(stopMirrors);

/** An engine whose container list leaves out the IDs in `hidden`, as a list taken just before they were created would. */
function engineWithHiddenContainers(hidden: Set<string>): FakeEngine {
  const engine = FakeEngine.withFixtures();
  const list = engine.listContainerIds.bind(engine);
  engine.listContainerIds = async () => (await list()).filter((id) => !hidden.has(id));
  return engine;
}

describe('syncMirrors reading the store and the engine', () => {
  it('should keep the mirror of a container the list missed but the engine still has', async () => {
    // Arrange
    const hidden = new Set<string>();
    const engine = engineWithHiddenContainers(hidden);
    const { store, sync } = setupMirrors(engine);
    await sync();
    const before = await store.get('Container', web.Id);
    hidden.add(web.Id);

    // Act
    const report = await sync('periodic');

    // Assert
    expect(before).not.toBeNull();
    expect(engine.count('inspectContainer', web.Id)).toBe(2);
    expect(await store.get('Container', web.Id)).toEqual(before);
    expect(report).toMatchObject({ removed: 0, failed: 0 });
  });

  it('should remove the mirror of a stored container the engine answers 404 for', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    const { store, sync } = setupMirrors(engine);
    await sync();
    engine.containers.delete(exited.Id);

    // Act
    const report = await sync('periodic');

    // Assert
    expect(engine.count('inspectContainer', exited.Id)).toBe(2);
    expect(await store.get('Container', exited.Id)).toBeNull();
    expect(report).toMatchObject({ removed: 1, changed: [`Container/${exited.Id}`] });
  });
});

describe('syncMirrors inspects in flight', () => {
  it('should keep at most `concurrency` inspects in flight across every kind, and use all of them', async () => {
    // Arrange
    const engine = FakeEngine.withFixtures();
    for (let i = 0; i < 30; i++) engine.cloneContainer(web, `${i}`.padStart(64, 'c'), `clone-${i}`);
    let inFlight = 0;
    let most = 0;
    const slowly =
      <A extends unknown[], T>(call: (...args: A) => Promise<T>) =>
      async (...args: A): Promise<T> => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight -= 1;
        return call(...args);
      };
    engine.inspectContainer = slowly(engine.inspectContainer.bind(engine));
    engine.inspectVolume = slowly(engine.inspectVolume.bind(engine));
    engine.inspectNetwork = slowly(engine.inspectNetwork.bind(engine));
    const { supervisor, store } = setupMirrors(engine);

    // Act
    const report = await syncMirrors(
      { supervisor, store, engine, namespace: NAMESPACE, logger: silentLogger, concurrency: 4 },
      'connect',
    );

    // Assert
    expect(engine.containers.size).toBeGreaterThan(30);
    expect(report.failed).toBe(0);
    expect(await store.names('Container')).toHaveLength(engine.containers.size);
    expect(most).toBe(4);
  });
});
