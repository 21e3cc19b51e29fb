/**
 * For the trust-boundary e2e tests: an instance whose engine runs one container, with what must survive
 * every forgery read beforehand; and a bus connection with one role's credentials (client, watch or
 * daemon) that records every permissions violation nats-server reports, so a test can wait for its
 * forgery to be seen refused before it checks that nothing changed.
 */
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { connectBus, readCredentials } from '../../client/api-client.js';
import type { App } from '../../protocol/app.schema.js';
import type { TestInstance } from './cli.js';
import { eventually } from './eventually.js';
import { survivors, type Survivors } from './faults.js';
import { busyboxImage, EngineSession } from './mirrors.js';

export interface Guarded {
  engine: EngineSession;
  /** The engine, its containers and the mirrors, as every forgery must leave them. */
  before: Survivors;
  appBefore: App;
}

/** The App as `rdd get` shows it. */
export function currentApp(instance: TestInstance): Promise<App> {
  return instance.json<App>(['get']);
}

/** Starts `instance`'s engine with one running container named `kept`, then reads what must survive. */
export async function startGuarded(instance: TestInstance): Promise<Guarded> {
  const engine = await EngineSession.start(instance);
  await engine.docker(['run', '-d', '--name', 'kept', busyboxImage, 'sleep', '3600']);
  await engine.container('kept');
  return { engine, before: await survivors(instance, engine), appBefore: await currentApp(instance) };
}

/** A connection with one role's credentials that records every permissions violation the server reports. */
export class RoleConnection {
  readonly violations: InstanceType<typeof errors.PermissionViolationError>[] = [];
  private constructor(readonly nc: NatsConnection) {}

  static async open(file: string): Promise<RoleConnection> {
    const connection = new RoleConnection(await connectBus(await readCredentials(file), { name: 'rdd-attacker' }));
    void (async () => {
      for await (const status of connection.nc.status())
        if (status.type === 'error' && status.error instanceof errors.PermissionViolationError)
          connection.violations.push(status.error);
    })();
    return connection;
  }

  /** Waits for the server to refuse `operation` on `subject`. */
  refused(operation: 'publish' | 'subscription', subject: string): Promise<boolean> {
    return eventually(
      `a permissions violation for ${operation} to ${subject}`,
      () =>
        Promise.resolve(this.violations.some((error) => error.operation === operation && error.subject === subject)),
      10_000,
    );
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}
