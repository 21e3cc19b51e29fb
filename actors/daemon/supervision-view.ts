/**
 * Folds the supervision telemetry into the per-child view `rdd svc status` shows: running or not, how
 * often restarted, the last error. Fed by the same events that are published on the bus.
 */
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import type { DaemonStatus } from '../../protocol/api.schema.js';

type ChildView = DaemonStatus['children'][number];

export class SupervisionView {
  private readonly children = new Map<string, ChildView>();

  record(event: SupervisionEvent): void {
    if (event.type === 'escalated') return;
    const key = `${event.supervisor}/${event.child}`;
    const view = this.children.get(key) ?? {
      supervisor: event.supervisor,
      id: event.child,
      running: false,
      restarts: 0,
    };
    switch (event.type) {
      case 'started':
        view.running = true;
        view.restarts = event.restarts;
        break;
      case 'crashed':
        view.running = false;
        view.lastError = event.error.message;
        break;
      case 'restarting':
        view.restarts = Math.max(view.restarts, event.restarts);
        break;
      case 'stopped':
        view.running = false;
        break;
    }
    this.children.set(key, view);
  }

  snapshot(): ChildView[] {
    return [...this.children.values()].map((view) => ({ ...view }));
  }
}
