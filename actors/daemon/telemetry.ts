/**
 * Publishes supervision events on the bus. Events that happen while the bus is down (the bus's own
 * start and crash among them) wait in a small buffer and go out once a connection is back.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import { supervisionSubject } from '../../protocol/subjects.js';

const maxBuffered = 200;

export class BusTelemetry {
  private readonly pending: SupervisionEvent[] = [];

  constructor(
    private readonly instance: string,
    /** The live connection, or a throw when the bus is not running. */
    private readonly connection: () => NatsConnection,
  ) {}

  publish(event: SupervisionEvent): void {
    this.pending.push(event);
    if (this.pending.length > maxBuffered) this.pending.shift();
    let nc: NatsConnection;
    try {
      nc = this.connection();
      if (nc.isClosed()) return;
    } catch {
      return;
    }
    for (const queued of this.pending.splice(0)) {
      nc.publish(
        supervisionSubject(this.instance, queued.supervisor, queued.child, queued.type),
        JSON.stringify(queued),
      );
    }
  }
}
