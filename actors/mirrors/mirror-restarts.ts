/**
 * How the mirrors supervisor restarts its crashed actors: the same {@link RestartPolicy} as every other
 * supervisor (intensity over a period, a backoff per child that a long enough run forgives), kept only
 * for actors that crashed, so the thousands that never do cost nothing here. Too many crashes in the
 * period escalate, once, to the engine actor, which reconnects and syncs afresh.
 */
import type { Logger } from 'winston';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import { RestartPolicy, type RestartLimits } from '../supervision/restart-policy.js';
import type { MirrorActor, ObjectKind } from './mirror-actor.js';

export const mirrorRestartLimits: RestartLimits = {
  intensity: 100,
  periodMs: 10_000,
  // No jitter: an actor's restart only re-reads its own object, so lockstep restarts cost nothing extra.
  backoff: { initialMs: 500, maxMs: 60_000, jitter: 0, resetAfterMs: 5 * 60_000 },
};

export interface MirrorRestartOptions {
  logger: Logger;
  report: (event: SupervisionEvent) => void;
  escalate: (error: Error) => void;
  intensity?: number;
  periodMs?: number;
  /** Starts the actor of `kind`/`key` again, once its backoff has passed. */
  restart: (kind: ObjectKind, key: string) => void;
}

interface CrashRecord {
  consecutive: number;
  /** When the actor was last started again, to tell how long it ran before this crash. */
  restartedAt: number;
  timer?: NodeJS.Timeout;
}

export class MirrorRestarts {
  private readonly crashes = new Map<string, CrashRecord>();
  /** Mirror names (`<Kind>.<name>`) whose actor waits to restart after a crash, and when it will. */
  private readonly restarting = new Map<string, number>();
  private readonly limits: RestartLimits;
  private readonly policy: RestartPolicy;
  /** Escalation happens once: the engine actor then stops the supervisor. */
  private escalated = false;

  constructor(private readonly options: MirrorRestartOptions) {
    const { intensity = mirrorRestartLimits.intensity, periodMs = mirrorRestartLimits.periodMs } = options;
    this.limits = { ...mirrorRestartLimits, intensity, periodMs };
    this.policy = new RestartPolicy(this.limits, Math.random);
  }

  /** `actor`, which owned `names`, crashed and was removed: report it and restart it after its backoff. */
  crashed(actor: MirrorActor, names: readonly string[], error: Error): void {
    const id = actorId(actor.kind, actor.key);
    const now = Date.now();
    const previous = this.crashes.get(id);
    const decision = this.policy.onCrash(now, previous?.consecutive ?? 0, now - (previous?.restartedAt ?? 0));
    const { delayMs, consecutive } = decision;
    const child = `${actor.kind}/${actor.key}`;
    const at = new Date(now).toISOString();
    this.options.logger.warn(`${error.message}; the mirror is kept and looked at again in ${delayMs} ms`);
    const { report } = this.options;
    report({ supervisor: 'mirrors', child, at, type: 'crashed', error: { name: error.name, message: error.message } });
    report({ supervisor: 'mirrors', child, at, type: 'restarting', delayMs, restarts: consecutive });
    if (this.escalated) return;
    if (decision.escalate) {
      this.escalated = true;
      const { intensity, periodMs } = this.limits;
      this.options.escalate(
        new Error(`more than ${intensity} mirror actors crashed within ${periodMs} ms; last: ${error.message}`),
      );
      return;
    }
    // Until it is back, a request for one of its mirrors is told to retry, not that the mirror is gone.
    for (const name of names) this.restarting.set(`${actor.kind}.${name}`, now + delayMs);
    const timer = setTimeout(() => this.restartNow(actor.kind, actor.key, names), delayMs);
    timer.unref?.();
    this.crashes.set(id, { consecutive, restartedAt: now + delayMs, timer });
  }

  /** When the actor of mirror `kind`/`name` restarts, if it waits to. */
  retryAt(kind: string, name: string): number | undefined {
    return this.restarting.get(`${kind}.${name}`);
  }

  /** Forgets every crash (a sweep or stop): nothing restarts any more. */
  clear(): void {
    this.restarting.clear();
    for (const crash of this.crashes.values()) clearTimeout(crash.timer);
    this.crashes.clear();
  }

  /** Forgets the crashes of one kind's actors (images when mirrorImages goes off). */
  clearKind(kind: ObjectKind): void {
    for (const [id, crash] of this.crashes) {
      if (id.startsWith(`${kind}:`)) {
        clearTimeout(crash.timer);
        this.crashes.delete(id);
      }
    }
  }

  private restartNow(kind: ObjectKind, key: string, names: readonly string[]): void {
    for (const name of names) this.restarting.delete(`${kind}.${name}`);
    this.options.restart(kind, key);
  }
}

export function actorId(kind: ObjectKind, key: string): string {
  return `${kind}:${key}`;
}
