/** A mirrors supervisor wired to a fake engine and a real store (a bucket of its own), for unit tests. */
import type { NatsConnection } from '@nats-io/transport-node';
import winston from 'winston';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import { FakeEngine } from './fake-engine.fixtures.js';
import { TestStore } from './nats-store.fixtures.js';
import { NAMESPACE } from './mirrors.fixtures.js';
import { MirrorSupervisor } from './mirror-supervisor.js';
import { syncMirrors } from './sync.js';

export const silentLogger = winston.createLogger({ silent: true });

export interface SetupOptions {
  /** The store to use (a FlakyStore, or one seeded before the sync); a fresh TestStore by default. */
  store?: TestStore;
  intensity?: number;
  periodMs?: number;
}

const started: MirrorSupervisor[] = [];

export function setupMirrors(engine: FakeEngine = FakeEngine.withFixtures(), options: SetupOptions = {}) {
  const store = options.store ?? new TestStore();
  const reports: SupervisionEvent[] = [];
  const escalations: Error[] = [];
  const supervisor = new MirrorSupervisor({
    instance: 'unit',
    nc: {} as NatsConnection,
    store,
    namespace: NAMESPACE,
    logger: silentLogger,
    report: (event) => reports.push(event),
    escalate: (error) => escalations.push(error),
    ...(options.intensity === undefined ? {} : { intensity: options.intensity }),
    ...(options.periodMs === undefined ? {} : { periodMs: options.periodMs }),
  });
  started.push(supervisor);
  supervisor.setEngine(engine);
  const sync = (trigger: 'connect' | 'reconnect' | 'periodic' = 'connect') =>
    syncMirrors({ supervisor, store, engine, namespace: NAMESPACE, logger: silentLogger }, trigger);
  return { engine, store, supervisor, reports, escalations, sync };
}

/**
 * Stops every supervisor setupMirrors started (call it in afterEach): a settled container machine holds a
 * crash-reset timer, and a refused delete a retry timer, that would outlive the test.
 */
export function stopMirrors(): void {
  started.splice(0).forEach((supervisor) => supervisor.stop());
}

/**
 * Waits until every supervisor setupMirrors started is idle (each actor's mailbox drained, no engine call
 * of a container machine in flight, nothing the supervisor started pending: MirrorSupervisor.idle) and
 * still idle once the event loop has had a turn, so work outside the supervisors (a sync, a session)
 * has had its chance to give them more.
 */
export async function settle(): Promise<void> {
  for (;;) {
    for (const supervisor of started) await supervisor.idle();
    await new Promise((resolve) => setImmediate(resolve));
    if (started.every((supervisor) => supervisor.isIdle)) return;
  }
}

/**
 * Waits until `condition` holds, looking again after each turn of the event loop: for a test that holds
 * a call (so the supervisor is never idle) and must wait until the work has reached it. Fails naming
 * `what` after five seconds of real time.
 */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = process.hrtime.bigint() + 5_000_000_000n;
  while (!condition()) {
    if (process.hrtime.bigint() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
