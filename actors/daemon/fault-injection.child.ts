/**
 * Fault injection for end-to-end tests: with RDD_FAULT_INJECTION=1 the daemon answers requests on
 * `rdd.<instance>.debug.crash` (`{"supervisor":"app","child":"vm"}`) by crashing that child as if it
 * had failed by itself, so a test can prove that every restart path adopts what the child managed.
 * A root child after the API: a bus restart restarts it with the new connection. Never on by default.
 */
import { z } from 'zod';
import { describeError } from '../../protocol/errors.js';
import { firstIssue } from '../../client/store.js';
import { faultInjectionSubject } from '../../protocol/subjects.js';
import type { Bus } from '../bus/bus.child.js';
import { rejections } from '../bus/rejections.js';
import { rejectedAsReplay } from '../bus/stream-replays.js';
import type { ChildSpec, CrashInjectable } from '../supervision/types.js';

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
      const { nc } = lookup<Bus>('bus');
      logger.warn(
        "Fault injection is on (RDD_FAULT_INJECTION=1): whoever holds the daemon's bus credentials may crash an actor",
      );
      const subscription = nc.subscribe(faultInjectionSubject(instance), {
        callback: (error, msg) => {
          if (error || rejectedAsReplay(nc, msg, 'debug.crash', logger)) return;
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
        },
      });
      return Promise.resolve({
        value: null,
        exited: new Promise(() => {}),
        stop: () => {
          subscription.unsubscribe();
          return Promise.resolve();
        },
        kill: () => subscription.unsubscribe(),
      });
    },
  };
}
