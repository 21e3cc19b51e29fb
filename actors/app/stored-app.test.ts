import { appApiVersion, appKind, appName, type App } from '../../protocol/app.schema.js';
import { InvalidStoredValueError } from '../../client/store.js';
import { invalidStoredSpecReason, StoredApp } from './stored-app.js';

const app = (generation: number): App => ({
  apiVersion: appApiVersion,
  kind: appKind,
  metadata: { name: appName, generation, resourceVersion: String(generation * 10) },
  spec: {
    running: true,
    containerEngine: { name: 'moby', mirrorImages: true },
    kubernetes: { enabled: false, version: '' },
    vm: { driver: 'dockerd', socket: '/run/docker.sock' },
  },
  status: {
    conditions: [
      {
        type: 'Settled',
        status: 'True',
        reason: 'Settled',
        message: 'App has reached the desired state',
        observedGeneration: generation,
        lastTransitionTime: 't0',
      },
    ],
  },
});

const invalid = new InvalidStoredValueError('App.app', 31, 'spec.running: expected boolean, received string', 4);

/** A store read that answers each call with the next of `answers` (an App, null, or an error). */
function reads(...answers: (App | null | Error)[]) {
  return () => {
    const answer = answers.shift();
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer ?? null);
  };
}

describe('StoredApp', () => {
  it('should answer a valid stored App as it is', async () => {
    const stored = new StoredApp(reads(app(3)));

    await expect(stored.current()).resolves.toEqual({ app: app(3), invalid: null });
  });

  it('should keep the last valid App in place of an invalid one', async () => {
    // Arrange
    const stored = new StoredApp(reads(app(3), invalid));
    await stored.current();

    // Act
    const reading = await stored.current();

    // Assert
    expect(reading).toEqual({ app: app(3), invalid });
  });

  it('should show the last valid App with Settled=False/InvalidStoredSpec naming the key and the issue', async () => {
    // Arrange
    const stored = new StoredApp(reads(app(3), invalid), () => 't1');
    await stored.current();

    // Act
    const shown = await stored.shown();

    // Assert
    expect(shown?.spec).toEqual(app(3).spec);
    expect(shown?.status.conditions).toEqual([
      {
        type: 'Settled',
        status: 'False',
        reason: invalidStoredSpecReason,
        message: expect.stringMatching(
          /^the stored App\.app \(revision 31\) is not a valid resource: spec\.running: expected boolean.*last valid App/,
        ),
        observedGeneration: 3,
        lastTransitionTime: 't1',
      },
    ]);
  });

  it('should answer with the issue as an error when no valid App was read before', async () => {
    const stored = new StoredApp(reads(invalid));

    await expect(stored.shown()).rejects.toThrow(
      /the stored App\.app \(revision 31\) is not a valid resource: spec\.running: .*no valid App was read/,
    );
  });

  it('should let any other store failure through', async () => {
    const stored = new StoredApp(reads(new Error('bucket gone')));

    await expect(stored.current()).rejects.toThrow('bucket gone');
  });
});
