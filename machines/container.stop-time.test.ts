/** A one-shot stop's grace period (docker stop -t) reaches the engine call, and only that call. */
import { ID, startContainer, stopContainers } from './container.machine.fixtures.js';

afterEach(stopContainers);

describe('containerMachine stop grace period', () => {
  it('should hand a one-shot stop its grace period', async () => {
    const container = startContainer('unknown', 'running');

    container.actor.send({ type: 'ACTION', action: 'stop', requestedAt: '2026-01-01T00:00:00Z', stopTimeSeconds: 2 });
    await container.callsReach(1);

    expect(container.calls.map((call) => call.input)).toEqual([{ id: ID, action: 'stop', stopTimeSeconds: 2 }]);
  });

  it('should leave a convergence step without one (the container keeps its own)', async () => {
    const container = startContainer('created', 'running');
    await container.callsReach(1);

    expect(container.calls.map((call) => call.input)).toEqual([{ id: ID, action: 'stop' }]);
  });
});
