/**
 * For the trust-boundary e2e tests: a bus connection with one role's credentials (client, watch or
 * daemon) that records every permissions violation nats-server reports, so a test can wait for its
 * forgery to be seen refused before it checks that nothing changed.
 */
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { connectBus, readCredentials } from '../../client/api-client.js';
import { eventually } from './eventually.js';

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
