/**
 * Runs an XState actor inside a supervised child: its `error` status becomes the child's crash, so a
 * throwing action or invoked actor is handled by the supervisor ("let it crash") instead of leaving a
 * dead actor behind.
 */
import { createActor, type AnyActorLogic, type Actor } from 'xstate';
import type { Logger } from 'winston';
import type { Exit } from './supervision/types.js';
import type { AttachInspection } from './inspection.js';

export interface MachineRun<TLogic extends AnyActorLogic> {
  readonly actor: Actor<TLogic>;
  readonly exited: Promise<Exit>;
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
  const exited = new Promise<Exit>((resolve) => {
    actor.subscribe({
      error: (error: unknown) =>
        resolve({ kind: 'crash', error: error instanceof Error ? error : new Error(String(error)) }),
      complete: () => resolve({ kind: 'normal' }),
    });
  }).finally(() => detach?.());
  actor.start();
  return { actor, exited };
}
