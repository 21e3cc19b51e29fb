/**
 * The supervision contract (Erlang/OTP child specs, Akka backoff). A supervisor is declared as data —
 * a {@link SupervisorSpec} — and runs ordered {@link ChildSpec}s. XState gives actors a lifecycle but no
 * supervision; this layer adds strategies, restart types, intensity, backoff and escalation.
 */
import type { Logger } from 'winston';
import type { Backoff } from '../../machines/backoff.js';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';

/** Which siblings restart with a crashed child. */
export type Strategy = 'one_for_one' | 'rest_for_one' | 'one_for_all';

/**
 * `permanent` is always restarted; `transient` only after a crash (a normal exit removes it);
 * `temporary` is never restarted and its exit never affects siblings.
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** How a running child ended by itself. */
export type Exit = { readonly kind: 'normal' } | { readonly kind: 'crash'; readonly error: Error };

/**
 * Why a running child is being stopped. `shutdown` is an explicit intent to end what the child manages
 * (`rdd svc stop`, a signal). `restart` means a successor is coming (its own crash, a sibling's under
 * rest_for_one, an escalation, a daemon that gives up): the child must detach from whatever outlives it
 * (the engine process, the user's containers) so the successor can adopt it, never stop or reset it.
 */
export type StopReason = 'shutdown' | 'restart';

/** A started child. `value` is what later siblings may look up (e.g. the bus's NATS connection). */
export interface Running<V = unknown> {
  readonly value: V;
  /** Settles once, when the child ends by itself (never rejects). Not settled by stop()/kill(). */
  readonly exited: Promise<Exit>;
  /**
   * Graceful stop; the supervisor races it against the child's `shutdownMs`, then calls kill(). With
   * `restart`, what the child manages must be left running for its successor.
   */
  stop(reason: StopReason): Promise<void>;
  /**
   * Immediate, synchronous teardown of the child itself; must be safe to call after stop() or twice.
   * Like a `restart` stop it never ends what the child manages (a killed daemon leaves it too).
   */
  kill(): void;
}

/** What a child is given when it starts. */
export interface ChildContext {
  /** The `value` of an earlier sibling that is running now; throws if it is not. */
  readonly lookup: <V>(childId: string) => V;
  /** A child of the supervisor's logger, tagged with the child's id. */
  readonly logger: Logger;
}

export interface ChildSpec<V = unknown> {
  readonly id: string;
  /** Resolves once the child is ready for later siblings to use; a rejection counts as a crash. */
  start(context: ChildContext): Promise<Running<V>>;
  readonly restart: RestartType;
  /** How long a graceful stop may take before the child is killed; 0 kills at once (brutal kill). */
  readonly shutdownMs: number;
}

/** A supervisor's restart backoff: the one {@link Backoff}, and when a child's crashes are forgiven. */
export interface RestartBackoff extends Backoff {
  /** A child that has run this long without crashing gets its backoff reset to `initialMs`. */
  readonly resetAfterMs: number;
}

export interface SupervisorSpec {
  readonly id: string;
  readonly strategy: Strategy;
  /** More than `intensity` restarts within `periodMs` escalates: children stop, the supervisor crashes. */
  readonly intensity: number;
  readonly periodMs: number;
  readonly backoff: RestartBackoff;
  /** Started in order, stopped in reverse order. */
  readonly children: readonly ChildSpec[];
}

/** The world a supervisor touches, injected so tests run on fake time and fixed randomness. */
export interface SupervisorDeps {
  readonly logger: Logger;
  /** Called for every start, crash, restart, stop and escalation (the daemon publishes it on the bus). */
  readonly report: (event: SupervisionEvent) => void;
  readonly now?: () => number;
  /** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1). */
  readonly random?: () => number;
  /** Every supervisor built with these deps registers here by id (the latest of an id wins), for tests. */
  readonly registry?: Map<string, CrashInjectable>;
}

/** What fault injection needs of a supervisor. */
export interface CrashInjectable {
  injectCrash(childId: string, error: Error): void;
}
