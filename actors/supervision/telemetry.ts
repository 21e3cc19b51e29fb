import type { Logger } from 'winston';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import { describeValue } from './errors.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventBody = DistributiveOmit<SupervisionEvent, 'supervisor' | 'child' | 'at'>;

/** Stamps supervision events with the supervisor, child and time, and publishes them best effort. */
export class Telemetry {
  constructor(
    private readonly supervisor: string,
    private readonly report: (event: SupervisionEvent) => void,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  emit(child: string, body: EventBody): void {
    const event: SupervisionEvent = {
      ...body,
      supervisor: this.supervisor,
      child,
      at: new Date(this.now()).toISOString(),
    };
    try {
      this.report(event);
    } catch (err) {
      // A failing publisher must not break supervision itself.
      this.logger.warn(`Reporting ${event.type} of ${child} failed: ${describeValue(err)}`);
    }
  }

  crashed(child: string, error: Error): void {
    this.emit(child, { type: 'crashed', error: { name: error.name, message: error.message } });
  }
}
