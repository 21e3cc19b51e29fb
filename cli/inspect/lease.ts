/**
 * The inspection lease: the daemon publishes inspection messages only while someone asked for them
 * recently (protocol/inspection.schema.ts). A watcher takes it once — failing clearly when no daemon
 * answers — and renews it well within its TTL, and again as soon as its connection comes back (a
 * restarted bus means a daemon connection that knows of no lease yet).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { requestEnveloped } from '../../client/api-client.js';
import { describeError } from '../../protocol/api-error.js';
import { inspectionLeaseSubject } from '../../protocol/inspection.schema.js';
import { notRunningMessage } from './connect.js';

export const leaseTtlMs = 10_000;
export const leaseRenewMs = 3_000;

export interface Lease {
  stop(): void;
}

export interface LeaseOptions {
  /** Told once per run of failed renewals, and once when a renewal works again. */
  progress?: (line: string) => void;
}

export async function takeLease(nc: NatsConnection, instance: string, options: LeaseOptions = {}): Promise<Lease> {
  const ask = (): Promise<unknown> =>
    requestEnveloped(
      nc,
      inspectionLeaseSubject(instance),
      { ttlMs: leaseTtlMs },
      { timeoutMs: leaseRenewMs, what: 'the inspection lease', silent: notRunningMessage(instance) },
    );
  await ask();
  let stopped = false;
  let failing = false;
  const renew = (): void => {
    ask().then(
      () => {
        if (failing && !stopped) options.progress?.('inspection lease renewed');
        failing = false;
      },
      (error: unknown) => {
        if (!failing && !stopped) options.progress?.(`failed to renew the inspection lease: ${describeError(error)}`);
        failing = true;
      },
    );
  };
  const timer = setInterval(renew, leaseRenewMs);
  void (async () => {
    for await (const status of nc.status()) {
      if (stopped) break;
      if (status.type === 'reconnect') renew();
    }
  })();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
