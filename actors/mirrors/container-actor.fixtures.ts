/** Helpers for the container actor's unit tests (split by topic into two files). */
import { findCondition } from '../../protocol/condition.schema.js';
import type { Container } from '../../protocol/mirrors/container.schema.js';
import { FakeEngine } from './fake-engine.fixtures.js';
import type { FlakyStore } from './flaky-store.fixtures.js';
import { containerFixture } from './mirrors.fixtures.js';

export const web = containerFixture('web');
export const exited = containerFixture('exited');

/** Timers the tests advance; setImmediate stays real so settle() still drains the mailboxes. */
export const fakeTimers = () => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });

export function containerEvent(Action: string, id: string) {
  return { Type: 'container', Action, Actor: { ID: id } };
}

/** Sets the fake's state of container `id` as Docker would after someone else's command. */
export function setState(engine: FakeEngine, id: string, status: string): void {
  const inspect = engine.containers.get(id)!;
  inspect.State = { ...inspect.State, Status: status, Running: status === 'running', Paused: status === 'paused' };
}

export async function stored(store: { get: FlakyStore['get'] }, id: string): Promise<Container> {
  const mirror = await store.get<Container>('Container', id);
  if (!mirror) throw new Error(`no Container mirror ${id}`);
  return mirror;
}

export function conditionOf(mirror: Container, type: string) {
  return findCondition(mirror.status.conditions, type);
}

/** A fake engine whose container actions finish only when the test says so. */
export class GatedEngine extends FakeEngine {
  private gate: Promise<void> | null = null;
  /** Container actions the engine has finished (after any hold). */
  actionsDone = 0;

  constructor() {
    super();
    for (const name of ['web', 'exited'] as const) this.addContainer(containerFixture(name));
  }

  holdActions(): () => void {
    let release: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  override async containerAction(...args: Parameters<FakeEngine['containerAction']>): Promise<void> {
    const gate = this.gate;
    if (gate) await gate;
    await super.containerAction(...args);
    this.actionsDone += 1;
  }
}
