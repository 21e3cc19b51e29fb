/**
 * Fault injection for end-to-end tests: with RDD_FAULT_INJECTION=1 the daemon answers requests on
 * `rdd.<instance>.debug.crash` (`{"supervisor":"app","child":"vm"}`) by crashing that child as if it
 * had failed by itself, so a test can prove that every restart path adopts what the child managed.
 * A root child after the API: a bus restart restarts it with the new connection. Never on by default.
 * Beside it, `rdd.<instance>.debug.memory` answers the daemon's memory after a full GC (`make bench` (c)),
 * so what a mirror costs is read without the young generation's uncollected garbage. Both answer
 * through the one request/reply core (bus/request-server.ts), in the wire format they had before the
 * envelope: `{ ok }` or `{ ok, error: <message> }`, and the bare reading.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from 'winston';
import { z } from 'zod';
import type { ReplyEnvelope } from '../../protocol/api.schema.js';
import { NotFoundError } from '../../protocol/errors.js';
import { firstIssue } from '../../client/store.js';
import { faultInjectionSubject, memoryProbeSubject } from '../../protocol/subjects.js';
import { childRegistry } from '../api/child-registry.js';
import { readJson, RefusedRequest, serveRequests, type RequestEndpoint } from '../bus/request-server.js';
import type { ChildSpec, CrashInjectable } from '../supervision/types.js';
import { rootChildren } from './root-children.js';

const crashRequestSchema = z.object({ supervisor: z.string(), child: z.string() }).strict();
type CrashRequest = z.infer<typeof crashRequestSchema>;

export function faultInjectionEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.RDD_FAULT_INJECTION === '1';
}

export function faultInjectionChild(instance: string, registry: Map<string, CrashInjectable>): ChildSpec<null> {
  return {
    id: 'faults',
    restart: 'permanent',
    shutdownMs: 1_000,
    start: ({ lookup, logger }) => {
      const { nc } = childRegistry(lookup).get(rootChildren.bus);
      logger.warn(
        "Fault injection is on (RDD_FAULT_INJECTION=1): whoever holds the daemon's bus credentials may crash an actor",
      );
      // One subscription per subject, not one on debug.*: a replayed stream message keeps the subject it
      // was stored under, so only the subscription it arrived on says which request it poses as.
      const subscriptions = [
        serveRequests(nc, faultInjectionSubject(instance), crashEndpoint(registry, logger), logger),
        serveRequests(nc, memoryProbeSubject(instance), memoryEndpoint, logger),
      ];
      return Promise.resolve({
        value: null,
        exited: new Promise(() => {}),
        stop: () => {
          for (const subscription of subscriptions) subscription.unsubscribe();
          return Promise.resolve();
        },
        kill: () => {
          for (const subscription of subscriptions) subscription.unsubscribe();
        },
      });
    },
  };
}

/** The debug replies' wire format, older than the envelope: `{ ok }`, or `{ ok, error }` with the message. */
function okOrMessage(envelope: ReplyEnvelope): unknown {
  return envelope.ok ? { ok: true } : { ok: false, error: envelope.error.message };
}

/** Crashes the child a valid `debug.crash` request names; refuses (and counts) any other. */
function crashEndpoint(registry: Map<string, CrashInjectable>, logger: Logger): RequestEndpoint<CrashRequest> {
  return {
    name: 'debug.crash',
    rejectionSource: 'debug.crash',
    parse: (data) => {
      // An empty body is no crash request at all, not an empty one.
      const read = data.length === 0 ? { json: false as const } : readJson(data);
      const parsed = read.json ? crashRequestSchema.safeParse(read.value) : undefined;
      if (parsed?.success) return parsed.data;
      const issue = parsed ? firstIssue(parsed.error) : 'not JSON';
      throw new RefusedRequest(`bad crash request: ${issue}`, issue);
    },
    handle: ({ supervisor }) => {
      if (!registry.has(supervisor)) {
        throw new NotFoundError(`no supervisor ${supervisor}; known: ${[...registry.keys()].join(', ')}`);
      }
      return Promise.resolve(undefined);
    },
    encodeReply: okOrMessage,
    // After the reply: the crash may restart this very child (and its connection) under rest_for_one.
    afterReply: ({ supervisor, child }) => {
      logger.warn(`Injecting a crash into ${supervisor}/${child}`);
      registry.get(supervisor)?.injectCrash(child, new Error(`crash injected into ${supervisor}/${child}`));
    },
  };
}

/** Answers the memory after a full GC, bare (not in the envelope), whatever the request says. */
const memoryEndpoint: RequestEndpoint<null> = {
  name: 'debug.memory',
  rejectionSource: 'debug.memory',
  parse: () => null,
  handle: () => Promise.resolve(memoryAfterFullGc()),
  encodeReply: (envelope) => (envelope.ok ? envelope.result : okOrMessage(envelope)),
};

/** What `debug.memory` answers, in bytes: the process after a full, compacting collection. */
export interface MemoryAfterGc {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

let collectGarbage: (() => void) | undefined;

/**
 * Runs a full GC, then reads the memory. `gc` exists only with --expose-gc: setting the flag at run time
 * makes V8 install it in contexts created afterwards, so a fresh context hands it over.
 */
function memoryAfterFullGc(): MemoryAfterGc {
  if (!collectGarbage) {
    v8.setFlagsFromString('--expose-gc');
    collectGarbage = vm.runInNewContext('gc') as () => void;
  }
  collectGarbage();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers };
}
