import type { App } from './app.schema.js';
import { waitVerdict } from './app.wait.js';
import type { Condition, ConditionStatus } from './condition.schema.js';

const condition = (
  type: string,
  status: ConditionStatus,
  reason: string,
  observedGeneration: number,
  message = '',
): Condition => ({
  type,
  status,
  reason,
  message,
  observedGeneration,
  lastTransitionTime: '2026-01-01T00:00:00Z',
});

const app = (...conditions: Condition[]): App => ({
  apiVersion: 'app.rancherdesktop.io/v1alpha1',
  kind: 'App',
  metadata: { name: 'app', generation: 3 },
  spec: {
    running: true,
    containerEngine: { name: 'moby', mirrorImages: true },
    kubernetes: { enabled: false, version: '' },
    vm: { driver: 'dockerd', socket: '/s' },
  },
  status: { conditions },
});

describe('waitVerdict', () => {
  it.each([
    ['Settled=True at the generation', [condition('Settled', 'True', 'Settled', 3)], 'done'],
    ['Settled=True at a later generation', [condition('Settled', 'True', 'Settled', 4)], 'done'],
    ['Settled=True at an older generation', [condition('Settled', 'True', 'Settled', 2)], 'waiting'],
    ['no conditions', [], 'waiting'],
    [
      'Settled=False/Starting',
      [condition('Settled', 'False', 'Starting', 3), condition('Running', 'False', 'Starting', 3)],
      'waiting',
    ],
    [
      'Running=False/StartFailed at the generation',
      [condition('Running', 'False', 'StartFailed', 3, 'no socket')],
      'failed',
    ],
    ['Running=False/StopFailed at the generation', [condition('Running', 'False', 'StopFailed', 3)], 'failed'],
    [
      'ContainerEngineReady=False/ConnectFailed',
      [condition('ContainerEngineReady', 'False', 'ConnectFailed', 3)],
      'failed',
    ],
    ['Created=False/CreateFailed', [condition('Created', 'False', 'CreateFailed', 3)], 'failed'],
    [
      'Running=False/StartFailed from an older generation',
      [condition('Running', 'False', 'StartFailed', 2)],
      'waiting',
    ],
    [
      'ContainerEngineReady=False/Disconnected',
      [condition('ContainerEngineReady', 'False', 'Disconnected', 3)],
      'waiting',
    ],
    [
      'a failure beside Settled=True',
      [condition('Settled', 'True', 'Settled', 3), condition('Running', 'False', 'StartFailed', 3)],
      'failed',
    ],
  ])('should say %s means %s', (_what, conditions, state) => {
    expect(waitVerdict(app(...conditions), 3).state).toBe(state);
  });

  it('should name the failing condition with its reason and message', () => {
    const verdict = waitVerdict(
      app(condition('Running', 'False', 'StartFailed', 3, 'engine socket /x did not answer')),
      3,
    );

    expect(verdict).toMatchObject({
      state: 'failed',
      condition: { type: 'Running', reason: 'StartFailed', message: 'engine socket /x did not answer' },
    });
  });

  it('should summarize what it waits on, marking stale conditions', () => {
    const verdict = waitVerdict(
      app(condition('Running', 'False', 'Starting', 3, 'starting'), condition('Settled', 'False', 'VMStale', 2)),
      3,
    );

    expect(verdict).toEqual({
      state: 'waiting',
      summary: 'Settled=False/VMStale (generation 2); Running=False/Starting: starting',
    });
  });
});
