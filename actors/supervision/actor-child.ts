import { createActor } from 'xstate';
import type { ActorRefFrom, AnyActorLogic, AnyActorRef, InputFrom, SnapshotFrom } from 'xstate';
import type { Logger } from 'winston';
import { describeValue, toError } from './errors.js';
import type { ChildContext, ChildSpec, Exit, RestartType, Running } from './types.js';

/**
 * Sent to a machine child on graceful stop. A machine that wants to clean up handles it and reaches a
 * final state; one that does not handle it is stopped at once.
 */
export interface SupervisorShutdownEvent {
  readonly type: 'supervisor.shutdown';
}

const SHUTDOWN: SupervisorShutdownEvent = { type: 'supervisor.shutdown' };

export interface ActorChildOptions<TLogic extends AnyActorLogic> {
  readonly id: string;
  readonly logic: TLogic;
  /** Called on every start, so a restarted actor begins from fresh state read from the world. */
  readonly input?: () => InputFrom<TLogic>;
  readonly restart: RestartType;
  readonly shutdownMs: number;
  /** When later siblings may use the actor; default: as soon as it has started. */
  readonly readyWhen?: (snapshot: SnapshotFrom<TLogic>) => boolean;
  /** What later siblings look up; default: the actor ref. */
  readonly value?: (actor: ActorRefFrom<TLogic>) => unknown;
}

/**
 * Runs an XState v5 actor as a supervised child: a fresh actor per start; `error` status is a crash,
 * `done` a normal exit.
 *
 * @example
 * ```ts
 * actorChild({ id: 'engine', logic: engineMachine, input: () => ({ socket }), restart: 'permanent',
 *   shutdownMs: 5_000, readyWhen: (snapshot) => snapshot.hasTag('connected') });
 * ```
 */
export function actorChild<TLogic extends AnyActorLogic>(options: ActorChildOptions<TLogic>): ChildSpec {
  return {
    id: options.id,
    restart: options.restart,
    shutdownMs: options.shutdownMs,
    start: (context) => {
      try {
        return launch(options, context);
      } catch (err) {
        // e.g. the input function threw: still a rejection (a crash), never a synchronous throw.
        return Promise.reject(toError(err));
      }
    },
  };
}

type Phase = 'starting' | 'running' | 'stopping' | 'ended';

function launch<TLogic extends AnyActorLogic>(
  options: ActorChildOptions<TLogic>,
  context: ChildContext,
): Promise<Running> {
  const { id, logic, readyWhen, shutdownMs } = options;
  // The generic options type of createActor cannot be satisfied for an arbitrary TLogic.
  const actor: AnyActorRef = createActor(logic as AnyActorLogic, {
    id,
    input: options.input?.(),
    logger: logTo(context.logger),
  });
  const isReady = (snapshot: SnapshotFrom<TLogic>): boolean =>
    (snapshot as { status: string }).status === 'active' && (readyWhen?.(snapshot) ?? true);

  return new Promise<Running>((resolve, reject) => {
    let phase: Phase = 'starting';
    let settleExit: (exit: Exit) => void = () => undefined;
    const exited = new Promise<Exit>((settle) => {
      settleExit = settle;
    });
    let settleEnded: () => void = () => undefined;
    const ended = new Promise<void>((settle) => {
      settleEnded = settle;
    });

    const stop = (): Promise<void> => {
      if (phase === 'running') {
        phase = 'stopping';
        if (shutdownMs > 0 && acceptsShutdown(actor)) actor.send(SHUTDOWN);
        else actor.stop();
      }
      return ended;
    };
    const kill = (): void => {
      if (phase === 'running') phase = 'stopping';
      actor.stop();
    };

    const end = (exit: Exit): void => {
      settleEnded();
      if (phase === 'starting') {
        reject(exit.kind === 'crash' ? exit.error : new Error(`${id} finished before it was ready`));
      } else if (phase === 'running') {
        settleExit(exit);
      }
      phase = 'ended';
    };
    const becameReady = (snapshot: SnapshotFrom<TLogic>): void => {
      if (phase !== 'starting') return;
      try {
        if (!isReady(snapshot)) return;
        // Computed once ready, so a `value` that reads the snapshot sees the ready state.
        const value = options.value ? options.value(actor as ActorRefFrom<TLogic>) : actor;
        phase = 'running';
        resolve({ value, exited, stop, kill });
      } catch (err) {
        // Thrown inside an xstate observer this would become an uncaught exception; it is a failed start.
        phase = 'stopping';
        reject(toError(err));
        actor.stop();
      }
    };

    // Subscribed before start() so an error during the initial state is caught here; an error observer
    // also keeps xstate from rethrowing the error as an uncaught exception.
    actor.subscribe({
      next: (snapshot) => becameReady(snapshot as SnapshotFrom<TLogic>),
      error: (err) => end({ kind: 'crash', error: toError(err) }),
      // Completion after our own stop() is not an exit (the Running contract); any other is normal.
      complete: () => end({ kind: 'normal' }),
    });
    try {
      actor.start();
    } catch (err) {
      end({ kind: 'crash', error: toError(err) });
      return;
    }
    becameReady(actor.getSnapshot() as SnapshotFrom<TLogic>);
  });
}

/** Only a machine snapshot can tell whether the shutdown event would do anything. */
function acceptsShutdown(actor: AnyActorRef): boolean {
  const snapshot = actor.getSnapshot() as { status?: string; can?: (event: SupervisorShutdownEvent) => boolean };
  if (snapshot.status !== 'active' || typeof snapshot.can !== 'function') return false;
  try {
    return snapshot.can(SHUTDOWN);
  } catch {
    return false;
  }
}

/** Routes xstate `log()` actions to winston instead of the console. */
function logTo(logger: Logger): (...args: unknown[]) => void {
  return (...args) => {
    logger.info(args.map(describeValue).join(' '));
  };
}
