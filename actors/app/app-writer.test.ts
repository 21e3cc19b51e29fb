import { setConflictReasons } from '../../protocol/api.schema.js';
import { appApiVersion, appKind, appName, type App, type AppSpec } from '../../protocol/app.schema.js';
import { InvalidStoredValueError, type ResourceStore } from '../../client/store.js';
import { AppWriter, decideSpecWrite, ledgerAnnotation, ledgerSize } from './app-writer.js';

const spec = (version: string): AppSpec => ({
  running: false,
  containerEngine: { name: 'moby', mirrorImages: true },
  kubernetes: { enabled: false, version },
  vm: { driver: 'dockerd', socket: '' },
});

/** An App at `generation` whose ledger says which request made each listed generation. */
const storedApp = (generation: number, version: string, ledger: Record<number, string> = {}): App => ({
  apiVersion: appApiVersion,
  kind: appKind,
  metadata: { name: appName, generation, annotations: { [ledgerAnnotation]: JSON.stringify(ledger) } },
  spec: spec(version),
  status: { conditions: [] },
});

/** The change `kubernetes.version=<version>`, as the App actor computes it. */
const setVersion = (version: string) => (current: App | null) =>
  Promise.resolve({ ...(current?.spec ?? spec('')), kubernetes: { enabled: false, version } });

describe('decideSpecWrite', () => {
  it('should write a request based on the generation stored now', async () => {
    const decision = await decideSpecWrite(
      storedApp(4, '1.29'),
      { id: 'request-x', basedOnGeneration: 4 },
      setVersion('1.30'),
    );

    expect(decision).toEqual({ kind: 'write', spec: spec('1.30') });
  });

  it('should create the App for a request based on no App', async () => {
    const decision = await decideSpecWrite(null, { id: 'request-x', basedOnGeneration: 0 }, setVersion('1.30'));

    expect(decision).toEqual({ kind: 'write', spec: spec('1.30') });
  });

  it('should answer a request stored before as applied at its generation without writing again', async () => {
    const compute = jest.fn(setVersion('1.30'));

    const decision = await decideSpecWrite(
      storedApp(5, '1.30', { 5: 'request-x' }),
      { id: 'request-x', basedOnGeneration: 4 },
      compute,
    );

    expect(decision).toMatchObject({ kind: 'answer', outcome: 'already-applied', generation: 5 });
    expect(compute).not.toHaveBeenCalled();
  });

  it("should not apply a request stored before again on top of someone else's later change", async () => {
    const decision = await decideSpecWrite(
      storedApp(6, '1.29', { 5: 'request-x', 6: 'request-y' }),
      { id: 'request-x', basedOnGeneration: 4 },
      setVersion('1.30'),
    );

    expect(decision).toMatchObject({ kind: 'answer', outcome: 'already-applied', generation: 5 });
  });

  it('should answer a change already in the spec with the current generation and write nothing', async () => {
    const decision = await decideSpecWrite(
      storedApp(7, '1.30', { 7: 'request-y' }),
      { id: 'request-x', basedOnGeneration: 3 },
      setVersion('1.30'),
    );

    expect(decision).toMatchObject({ kind: 'answer', outcome: 'unchanged', generation: 7 });
  });

  it('should refuse, not applied, a request whose base another request moved on from', async () => {
    const deciding = decideSpecWrite(
      storedApp(5, '1.29', { 5: 'request-y' }),
      { id: 'request-x', basedOnGeneration: 4 },
      setVersion('1.30'),
    );

    await expect(deciding).rejects.toMatchObject({
      code: 'Conflict',
      message: 'not applied: the App changed from generation 4 to 5 since it was read',
      details: { reason: setConflictReasons.baseMoved, generation: 5 },
    });
  });

  it('should say the outcome is unknown when the ledger no longer reaches back to the request', async () => {
    const ledger = Object.fromEntries(
      Array.from({ length: ledgerSize }, (_, index) => [index + 10, `request-${index}`]),
    );

    const deciding = decideSpecWrite(
      storedApp(ledgerSize + 9, '1.29', ledger),
      { id: 'request-x', basedOnGeneration: 4 },
      setVersion('1.30'),
    );

    await expect(deciding).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: setConflictReasons.outcomeUnknown },
    });
  });

  it('should let admission reject a change that is not already stored', async () => {
    const reject = (): Promise<AppSpec> => Promise.reject(new Error('kubernetes.enabled=true needs vm.driver=lima'));

    const deciding = decideSpecWrite(storedApp(2, '1.29'), { id: 'request-x', basedOnGeneration: 2 }, reject);

    await expect(deciding).rejects.toThrow('needs vm.driver=lima');
  });
});

describe('AppWriter.writeStatus', () => {
  it('should write nothing over a stored App that is not valid', async () => {
    // Arrange
    const updates: unknown[] = [];
    const store = {
      get: () => Promise.reject(new InvalidStoredValueError('App.app', 9, 'spec: expected object, received string')),
      update: (app: unknown) => {
        updates.push(app);
        return Promise.resolve(app);
      },
    } as unknown as ResourceStore;
    const writer = new AppWriter(store);
    const report = { type: 'Running', status: 'True', reason: 'Started', message: '', observedGeneration: 1 } as const;

    // Act
    const written = await writer.writeStatus([report], null);

    // Assert
    expect(written).toBeNull();
    expect(updates).toEqual([]);
  });

  it("should show the engine's real socket and docker context as the VM reports them, and drop the context once stopped", async () => {
    // Arrange
    let stored = storedApp(1, '');
    const store = {
      get: () => Promise.resolve(stored),
      update: (app: App) => {
        stored = app;
        return Promise.resolve(app);
      },
    } as unknown as ResourceStore;
    const writer = new AppWriter(store);
    const running = { type: 'Running', status: 'True', reason: 'Started', message: '', observedGeneration: 1 } as const;
    const vmReport = {
      observedGeneration: 1,
      status: 'True',
      reason: 'Started',
      message: '',
      applyingTemplate: false,
      restarts: 0,
      enginePid: 42,
      socket: '/home/u/.local/share/rdd/dev/docker.sock',
      dockerContext: 'rdd-dev',
    } as const;

    // Act
    const started = await writer.writeStatus([running], vmReport);
    const stopped = await writer.writeStatus([{ ...running, status: 'False', reason: 'Stopped' }], {
      ...vmReport,
      status: 'False',
      reason: 'Stopped',
      socket: '',
      dockerContext: undefined,
    });

    // Assert
    expect(started?.spec.vm.socket).toBe('');
    expect(started?.status.vm).toEqual({
      restarts: 0,
      enginePid: 42,
      socket: '/home/u/.local/share/rdd/dev/docker.sock',
      dockerContext: 'rdd-dev',
    });
    expect(stopped?.status.vm).toEqual({ restarts: 0, enginePid: 42, socket: '' });
  });
});
