/**
 * For the admission and API fuzz tests: one daemon with a stopped App (no engine needed), raw requests
 * on its API subjects, and the facts a refused request must leave as they were.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { replyEnvelopeSchema, type ReplyEnvelope } from '../../protocol/api.schema.js';
import { ApiClient, connectBus, readCredentials } from '../../client/api-client.js';
import { mirrorKinds } from '../../protocol/mirrors/kinds.js';
import { apiSubject } from '../../protocol/subjects.js';
import type { TestInstance } from './cli.js';

/** What no refused request may change. */
export interface Untouched {
  daemonPid: number;
  appResourceVersion: string;
  appGeneration: number;
  /** Kind → how many mirrors of it are stored. */
  mirrors: Record<string, number>;
  /** `supervisor/child` → restarts so far. */
  restarts: Record<string, number>;
}

export class ApiSession {
  private constructor(
    readonly instance: TestInstance,
    readonly nc: NatsConnection,
    readonly api: ApiClient,
  ) {}

  /** Starts the daemon by creating a stopped App, and connects to its bus as the CLI does. */
  static async start(instance: TestInstance): Promise<ApiSession> {
    await instance.ok(['set', 'running=false', '--timeout', '60s']);
    const nc = await connectBus(await readCredentials(instance.paths.creds_file));
    return new ApiSession(instance, nc, new ApiClient(nc, instance.name));
  }

  /** Sends `body` as it is to `rdd.<instance>.api.<endpoint>` and returns the envelope it got back. */
  async raw(endpoint: string, body: string | Uint8Array, timeoutMs = 15_000): Promise<ReplyEnvelope> {
    const [kind = '', verb = ''] = endpoint.split('.');
    const reply = await this.nc.request(apiSubject(this.instance.name, kind, verb), body, { timeout: timeoutMs });
    return replyEnvelopeSchema.parse(JSON.parse(reply.string()));
  }

  async untouched(): Promise<Untouched> {
    const status = await this.api.request('svc.status', {});
    const app = await this.api.request('app.get', {});
    const mirrors: Record<string, number> = {};
    for (const kind of mirrorKinds) mirrors[kind] = (await this.api.request('resource.list', { kind })).items.length;
    const restarts: Record<string, number> = {};
    for (const child of status.children) restarts[`${child.supervisor}/${child.id}`] = child.restarts;
    return {
      daemonPid: status.pid,
      appResourceVersion: app.metadata.resourceVersion ?? '',
      appGeneration: app.metadata.generation ?? 0,
      mirrors,
      restarts,
    };
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}
