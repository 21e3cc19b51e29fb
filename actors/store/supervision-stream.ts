/**
 * Keeps the supervision telemetry in a JetStream stream (bounded, file storage). Core NATS delivers at
 * most once: events published while a subscriber reconnects — typically the bus's own crash and
 * restart — would be lost to it. The stream captures every publish on the supervision subjects, so a
 * GUI or `nats stream view` can replay what happened.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { wrapError } from '../../protocol/errors.js';
import { supervisionStream, supervisionWildcard } from '../../protocol/subjects.js';

export async function ensureSupervisionStream(nc: NatsConnection, instance: string): Promise<void> {
  const name = supervisionStream(instance);
  try {
    const jsm = await jetstreamManager(nc);
    try {
      await jsm.streams.info(name);
    } catch {
      await jsm.streams.add({ name, subjects: [supervisionWildcard(instance)], storage: 'file', max_msgs: 10_000 });
    }
  } catch (error) {
    throw wrapError(`create the supervision stream ${name}`, error);
  }
}
