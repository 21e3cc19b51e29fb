/** Reaching a running daemon for inspection. Inspecting never starts a daemon: watching should not boot an engine. */
import type { NatsConnection } from '@nats-io/transport-node';
import { connectRunningDaemon, type InstanceContext } from '../daemon-control.js';

export { notRunningMessage } from '../daemon-control.js';

/** A connection that keeps reconnecting: a live watcher outlives a bus restart. */
export function connectInspector(context: InstanceContext): Promise<NatsConnection> {
  return connectRunningDaemon(context, { reconnect: true, name: 'rdd-inspect' });
}
