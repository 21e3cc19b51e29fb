/**
 * The one adapter that runs an XState actor inside a supervised child: its `error` status becomes the
 * child's crash, so a throwing action or invoked actor is handled by the supervisor ("let it crash")
 * instead of leaving a dead actor behind; a final state is a normal exit. A graceful stop sends the
 * machine `supervisor.shutdown` when it handles it and waits for its final state; kill() stops at once.
 */
import { createActor, type AnyActorLogic, type Actor, type AnyActorRef } from 'xstate';
import type { Logger } from 'winston';
import type { Exit } from './supervision/types.js';
import type { AttachInspection } from './inspection/inspection.js';

/**
 * Sent to a machine on graceful stop. A machine that wants to clean up handles it and reaches a final
 * state; one that does not handle it is stopped at once.
 */
export interface SupervisorShutdownEvent {
  readonly type: 'supervisor.shutdown';
}

const shutdownEvent: SupervisorShutdownEvent = { type: 'supervisor.shutdown' };

export interface MachineRun<TLogic extends AnyActorLogic> {
  readonly actor: Actor<TLogic>;
  /** Settles once, when the actor ends by itself (never rejects); not settled by stop() or kill(). */
  readonly exited: Promise<Exit>;
  /** Graceful: resolves once the actor has ended. */
  readonly stop: () => Promise<void>;
  /** Immediate; safe after stop() and twice. */
  readonly kill: () => void;
}

export function runMachine<TLogic extends AnyActorLogic>(
  logic: TLogic,
  logger: Logger,
  id: string,
  attach?: AttachInspection,
): MachineRun<TLogic> {
  // Our machines take no input; the cast spares every caller XState's conditional-options typing.
  const options = { id, logger: (...args: unknown[]) => logger.debug(args.map(String).join(' ')) };
  const actor = (createActor as (logic: TLogic, options: object) => Actor<TLogic>)(logic, options);
  // Attached before start, so an inspector already listening sees the actor's first transition.
  const detach = attach?.(id, actor);
  let stopping = false;
  let settleExit: (exit: Exit) => void = () => undefined;
  const exited = new Promise<Exit>((resolve) => (settleExit = resolve));
  let settleEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (settleEnded = resolve));
  let done = false;
  const end = (exit: Exit): void => {
    if (done) return;
    done = true;
    detach?.();
    settleEnded();
    // An end we asked for is no exit (the supervisor's Running contract).
    if (!stopping) settleExit(exit);
  };
  actor.subscribe({
    error: (error: unknown) => end({ kind: 'crash', error: error instanceof Error ? error : new Error(String(error)) }),
    complete: () => end({ kind: 'normal' }),
  });
  actor.start();
  const kill = (): void => {
    stopping = true;
    actor.stop();
    // A stopped actor tells no observer: the end is ours to settle.
    end({ kind: 'normal' });
  };
  return {
    actor,
    exited,
    kill,
    stop: () => {
      if (!stopping) {
        stopping = true;
        if (acceptsShutdown(actor)) (actor as AnyActorRef).send(shutdownEvent);
        else kill();
      }
      return ended;
    },
  };
}

/** Only a machine snapshot can tell whether the shutdown event would do anything. */
function acceptsShutdown(actor: AnyActorRef): boolean {
  const snapshot = actor.getSnapshot() as { status?: string; can?: (event: SupervisorShutdownEvent) => boolean };
  if (snapshot.status !== 'active' || typeof snapshot.can !== 'function') return false;
  try {
    return snapshot.can(shutdownEvent);
  } catch {
    return false;
  }
}
