/**
 * The external driver against a real engine: a dockerd the dockerd driver starts plays the user's
 * engine. Attaching never stops it; a missing socket fails fast.
 */
import { isAlive } from '../../host/processes.js';
import path from 'node:path';
import { dockerdDriver } from '../../actors/vm/drivers/dockerd.driver.js';
import { pingEngine } from '../../actors/vm/drivers/engine-ping.js';
import { externalDriver } from '../../actors/vm/drivers/external.driver.js';
import type { EngineHandle } from '../../actors/vm/driver.js';
import { DriverTestInstance, fetchPublished, runPublishedWeb } from './support.js';

const neverAborted = new AbortController().signal;
const engineInstance = new DriverTestInstance('external-engine');
const attachInstance = new DriverTestInstance('external-attach');
const usersEngine = dockerdDriver();
let engine: EngineHandle;

beforeAll(async () => {
  engine = await usersEngine.start(engineInstance.config(), neverAborted);
});

afterAll(async () => {
  await usersEngine.stop(engineInstance.config()).catch(() => undefined);
  engineInstance.remove();
  attachInstance.remove();
});

describe('external driver', () => {
  it('should attach to the running engine and leave it running when stopped', async () => {
    // Arrange
    const driver = externalDriver();
    const config = attachInstance.config({ socket: engine.socket });

    // Act
    const handle = await driver.start(config, neverAborted);
    const web = await runPublishedWeb(handle.socket);
    const page = await fetchPublished(web.port);
    await driver.stop(config);

    // Assert
    expect(handle).toMatchObject({ socket: engine.socket, adopted: false });
    expect(handle.pid).toBeUndefined();
    expect(page).toBe('rdd-ok');
    expect(driver.fingerprint(config)).toBeNull();
    expect(isAlive(engine.pid!)).toBe(true);
    await expect(pingEngine(engine.socket, 2_000)).resolves.toBeUndefined();
  });

  it('should reject naming the socket within the bound when nothing answers there', async () => {
    // Arrange
    const missing = path.join(attachInstance.paths.run_dir, 'nobody.sock');
    const config = attachInstance.config({ socket: missing });
    const started = Date.now();

    // Act
    const attaching = externalDriver().start(config, neverAborted);

    // Assert
    await expect(attaching).rejects.toThrow(`engine socket ${missing} did not answer within 10s: ENOENT`);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('should report the engine gone when it stops answering while attached', async () => {
    // Arrange: a second engine of our own, so stopping it leaves the shared one alone.
    const doomedInstance = new DriverTestInstance('external-doomed');
    const doomedDriver = dockerdDriver();
    try {
      const doomed = await doomedDriver.start(doomedInstance.config(), neverAborted);
      const handle = await externalDriver().start(attachInstance.config({ socket: doomed.socket }), neverAborted);

      // Act
      await doomedDriver.stop(doomedInstance.config());
      const death = await handle.died;

      // Assert
      expect(death.message).toContain(`the engine at ${doomed.socket} stopped answering`);
    } finally {
      await doomedDriver.stop(doomedInstance.config()).catch(() => undefined);
      doomedInstance.remove();
    }
  });
});
