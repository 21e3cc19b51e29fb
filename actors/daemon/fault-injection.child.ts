/**
 * Fault injection for end-to-end tests: with RDD_FAULT_INJECTION=1 the daemon answers requests on
 * `rdd.<instance>.debug.crash` (`{"supervisor":"app","child":"vm"}`) by crashing that child as if it
 * had failed by itself, so a test can prove that every restart path adopts what the child managed.
 * A root child after the API: a bus restart restarts it with the new connection. Never on by default.
 * Beside it, `rdd.<instance>.debug.memory` answers the daemon's memory after a full GC (`make bench` (c)),
 * so what a mirror costs is read without the young generation's uncollected garbage.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Msg } from '@nats-io/transport-node';
import type { Logger } from 'winston';
import { z } from 'zod';
import { describeError } from '../../protocol/errors.js';
import { firstIssue } from '../../client/store.js';
import { faultInjectionSubject, memoryProbeSubject } from '../../protocol/subjects.js';
import { childRegistry } from '../api/child-registry.js';
import { rejections } from '../bus/rejections.js';
import { rejectedAsReplay } from '../bus/stream-replays.js';
import type { ChildSpec, CrashInjectable } from '../supervision/types.js';
import { rootChildren } from './root-children.js';

const crashRequestSchema = z.object({ supervisor: z.string(), child: z.string() }).strict();

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
        nc.subscribe(faultInjectionSubject(instance), {
          callback: (error, msg) => {
            if (error || rejectedAsReplay(nc, msg, 'debug.crash', logger)) return;
            answerCrashRequest(msg, registry, logger);
          },
        }),
        nc.subscribe(memoryProbeSubject(instance), {
          callback: (error, msg) => {
            if (error || rejectedAsReplay(nc, msg, 'debug.memory', logger)) return;
            msg.respond(JSON.stringify(memoryAfterFullGc()));
          },
        }),
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

/** Crashes the child a valid `debug.crash` request names; refuses (and counts) any other. */
function answerCrashRequest(msg: Msg, registry: Map<string, CrashInjectable>, logger: Logger): void {
  let body: unknown;
  try {
    body = msg.json();
  } catch {
    body = undefined;
  }
  const parsed = crashRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = body === undefined ? 'not JSON' : firstIssue(parsed.error);
    rejections.record('debug.crash', `a crash request on ${msg.subject}`, issue, logger);
    msg.respond(JSON.stringify({ ok: false, error: `bad crash request: ${issue}` }));
    return;
  }
  try {
    const { supervisor, child } = parsed.data;
    const target = registry.get(supervisor);
    if (!target) throw new Error(`no supervisor ${supervisor}; known: ${[...registry.keys()].join(', ')}`);
    logger.warn(`Injecting a crash into ${supervisor}/${child}`);
    // Replied first: the crash may restart this very child (and its connection) under rest_for_one.
    msg.respond(JSON.stringify({ ok: true }));
    target.injectCrash(child, new Error(`crash injected into ${supervisor}/${child}`));
  } catch (failure) {
    msg.respond(JSON.stringify({ ok: false, error: describeError(failure) }));
  }
}

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
