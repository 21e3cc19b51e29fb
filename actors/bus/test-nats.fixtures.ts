/**
 * A real nats-server with JetStream, started by a test that needs the bus or the store without a
 * daemon: the one starter unit fixtures (actors/mirrors/nats-store.fixtures.ts) and e2e tests share.
 * A fixture, so never built into dist/ nor imported by production code (.dependency-cruiser.cjs).
 * The caller disposes of it: that closes its connections, stops the server by pid and removes its dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect as connectNats, type NatsConnection } from '@nats-io/transport-node';
import { connectionAuth } from '../../protocol/credentials.js';
import { freePort } from '../../host/processes.js';
import { silentLogger } from '../logging.js';
import { spawnNatsServer, type NatsServerProcess } from './nats-server.js';

export interface TestNats {
  server: NatsServerProcess;
  connect(): Promise<NatsConnection>;
  dispose(): Promise<void>;
}

export async function startTestNats({ maxPayloadBytes }: { maxPayloadBytes?: number } = {}): Promise<TestNats> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-nats-'));
  const port = await freePort();
  const creds = { url: `nats://127.0.0.1:${port}`, user: 'test', pass: 'test-password' };
  const server = await spawnNatsServer(
    {
      binary: process.env.RDD_NATS_SERVER || 'nats-server',
      port,
      storeDir: path.join(dir, 'store'),
      configFile: path.join(dir, 'nats.conf'),
      pidFile: path.join(dir, 'nats.pid'),
      logFile: path.join(dir, 'nats.log'),
      // Only the daemon role (all rights) is used here; the others get passwords nobody knows.
      instance: 'test',
      ...(maxPayloadBytes === undefined ? {} : { maxPayloadBytes }),
      users: {
        daemon: { user: creds.user, pass: creds.pass },
        client: { user: 'test-client', pass: `unused-${port}-client` },
        watch: { user: 'test-watch', pass: `unused-${port}-watch` },
      },
    },
    silentLogger(),
  );
  const connections: NatsConnection[] = [];
  const connect = async (): Promise<NatsConnection> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        // As the daemon connects (bus.child.ts): the API client is the CLI's, and actors/ never import it.
        const nc = await connectNats({
          servers: creds.url,
          ...connectionAuth(creds),
          name: 'rdd-test',
          noAsyncTraces: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 250,
          pingInterval: 2_000,
          timeout: 3_000,
        });
        connections.push(nc);
        return nc;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  return {
    server,
    connect,
    dispose: async () => {
      await Promise.all(connections.map((nc) => nc.close()));
      await server.stop(5_000);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
