import { SupervisionView } from './supervision-view.js';

const at = '2026-01-01T00:00:00.000Z';

describe('SupervisionView', () => {
  it('should count restarts and keep the last error per child', () => {
    const view = new SupervisionView();

    view.record({ type: 'started', supervisor: 'root', child: 'bus', restarts: 0, at });
    view.record({ type: 'started', supervisor: 'root', child: 'api', restarts: 0, at });
    view.record({
      type: 'crashed',
      supervisor: 'root',
      child: 'bus',
      error: { name: 'Error', message: 'nats-server exited' },
      at,
    });
    view.record({ type: 'restarting', supervisor: 'root', child: 'bus', delayMs: 100, restarts: 1, at });
    const whileDown = view.snapshot();
    view.record({ type: 'started', supervisor: 'root', child: 'bus', restarts: 1, at });

    expect(whileDown.find((child) => child.id === 'bus')).toMatchObject({ running: false, restarts: 1 });
    expect(view.snapshot()).toEqual([
      { supervisor: 'root', id: 'bus', running: true, restarts: 1, lastError: 'nats-server exited' },
      { supervisor: 'root', id: 'api', running: true, restarts: 0 },
    ]);
  });

  it('should show a stopped child as not running', () => {
    const view = new SupervisionView();

    view.record({ type: 'started', supervisor: 'root', child: 'store', restarts: 0, at });
    view.record({ type: 'stopped', supervisor: 'root', child: 'store', reason: 'shutdown', at });

    expect(view.snapshot()).toEqual([{ supervisor: 'root', id: 'store', running: false, restarts: 0 }]);
  });
});
