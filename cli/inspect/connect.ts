/** Reaching a running daemon for inspection. Inspecting never starts a daemon: watching should not boot an engine. */
import type { NatsConnection } from '@nats-io/transport-node';
import { connectBus, readCredentials } from '../../protocol/client.js';
import { ApiError, describeError } from '../../protocol/errors.js';
import type { InstanceContext } from '../daemon-control.js';

export function notRunningMessage(instance: string, cause?: string): string {
  return `the rdd daemon of instance ${instance} is not running${cause ? ` (${cause})` : ''}; start it with: rdd svc start`;
}

/** A connection that keeps reconnecting (a live watcher outlives a bus restart); an Unavailable error naming how to start the daemon otherwise. */
export async function connectInspector(context: InstanceContext): Promise<NatsConnection> {
  try {
    return await connectBus(await readCredentials(context.paths.creds_file), { reconnect: true, name: 'rdd-inspect' });
  } catch (error) {
    throw new ApiError('Unavailable', notRunningMessage(context.instance, describeError(error)));
  }
}
