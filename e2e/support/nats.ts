/** A real nats-server with JetStream for tests that exercise the store without a daemon. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { spawnNatsServer, type NatsServerProcess } from '../../actors/bus/nats-server.js';
import { silentLogger } from '../../actors/logging.js';
import { connectBus } from '../../client/api-client.js';
import { freePort } from '../../host/processes.js';

export interface TestNats {
  server: NatsServerProcess;
  connect(): Promise<NatsConnection>;
  dispose(): Promise<void>;
}

export async function startTestNats(): Promise<TestNats> {
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
        const nc = await connectBus(creds, { reconnect: true, name: 'rdd-test' });
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
