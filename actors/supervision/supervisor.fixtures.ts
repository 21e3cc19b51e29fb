/**
 * Test seams for supervisor tests: a fake clock (time moves only when a test says so) and fake
 * children that write what the supervisor does to them into one shared log. Tests wait on what they
 * expect ({@link FakeWorld.until}: a predicate looked at again on every log entry, telemetry event and
 * sleep), and only look for the absence of something once the supervisor has nothing left to run
 * ({@link drained}).
 */
import winston from 'winston';
import { drained } from '../drained.fixtures.js';
import type { SupervisionEvent } from '../../protocol/supervision.schema.js';
import type {
  RestartBackoff,
  ChildContext,
  ChildSpec,
  Exit,
  RestartType,
  Running,
  StopReason,
  Strategy,
  SupervisorDeps,
  SupervisorSpec,
} from './types.js';

export { drained };

/** Resolves to 'pending' if `promise` has not settled once the supervisor has nothing left to run. */
export async function peek<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, drained().then(() => 'pending' as const)]);
}

/** Calls the listeners on every change a test could wait for. */
class Changes {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves once `condition` holds, looking at it now and after every change; fails naming `what`. */
  until(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting until ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }
}

interface Timer {
  readonly at: number;
  readonly ms: number;
  readonly fire: () => void;
}

export class FakeClock {
  now = 0;
  constructor(private readonly changes: Changes = new Changes()) {}
  /** Every duration the supervisor asked to sleep, in order. */
  readonly requested: number[] = [];
  private timers: Timer[] = [];

  readonly sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      this.requested.push(ms);
      if (signal.aborted) return resolve();
      const timer: Timer = { at: this.now + ms, ms, fire: resolve };
      this.timers.push(timer);
      this.changes.notify();
      signal.addEventListener('abort', () => {
        this.timers = this.timers.filter((candidate) => candidate !== timer);
        resolve();
      });
    });

  /** Durations of the sleeps still waiting. */
  pending(): number[] {
    return this.timers.map((timer) => timer.ms);
  }

  /**
   * Waits until something sleeps (time moving with nobody asleep tests nothing), moves time, fires
   * what is due and lets the woken work run to its end.
   */
  async advance(ms: number): Promise<void> {
    await this.changes.until(() => this.timers.length > 0, 'something sleeps');
    this.now += ms;
    const due = this.timers.filter((timer) => timer.at <= this.now);
    this.timers = this.timers.filter((timer) => timer.at > this.now);
    for (const timer of due) timer.fire();
    await drained();
  }

  /** Lets time pass until nothing is sleeping any more (backoffs and shutdown timeouts alike). */
  async settle(): Promise<void> {
    await drained();
    for (let guard = 0; guard < 1000; guard += 1) {
      const next = Math.min(...this.timers.map((timer) => timer.at));
      if (!Number.isFinite(next)) return;
      await this.advance(next - this.now);
    }
    throw new Error('the clock never settled');
  }
}

/** How a fake child behaves; `attempt` counts its start calls from 1. */
export interface FakeChildOptions {
  readonly restart?: RestartType;
  readonly shutdownMs?: number;
  readonly failStart?: (attempt: number) => Error | undefined;
  readonly stop?: 'resolve' | 'hang' | 'reject';
  readonly value?: (context: ChildContext, attempt: number) => unknown;
  /** Starts wait until the test calls `release()` on the returned gate. */
  readonly gate?: Gate;
}

export class Gate {
  private opened: Array<() => void> = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.opened.push(resolve));
  }
  release(): void {
    for (const open of this.opened.splice(0)) open();
  }
}

/** One run of a fake child: the test ends it by itself through crash() or exitNormally(). */
export class FakeRun implements Running {
  readonly exited: Promise<Exit>;
  private end: (exit: Exit) => void = () => undefined;

  constructor(
    readonly id: string,
    readonly value: unknown,
    private readonly note: (entry: string) => void,
    private readonly stopBehaviour: 'resolve' | 'hang' | 'reject',
  ) {
    this.exited = new Promise((resolve) => {
      this.end = resolve;
    });
  }

  /** The reason of every stop() this run was given, in order. */
  readonly stopReasons: StopReason[] = [];

  crash(error: Error = new Error(`${this.id} broke`)): void {
    this.end({ kind: 'crash', error });
  }

  exitNormally(): void {
    this.end({ kind: 'normal' });
  }

  stop(reason: StopReason): Promise<void> {
    this.note(`stop ${this.id}`);
    this.stopReasons.push(reason);
    if (this.stopBehaviour === 'hang') return new Promise(() => undefined);
    if (this.stopBehaviour === 'reject') return Promise.reject(new Error(`${this.id} refused to stop`));
    return Promise.resolve();
  }

  kill(): void {
    this.note(`kill ${this.id}`);
  }
}

export interface SpecOptions {
  readonly id?: string;
  readonly strategy?: Strategy;
  readonly intensity?: number;
  readonly periodMs?: number;
  readonly backoff?: Partial<RestartBackoff>;
}

export const defaultBackoff: RestartBackoff = { initialMs: 100, maxMs: 1_000, jitter: 0, resetAfterMs: 10_000 };

/** A shared log, telemetry sink and clock, plus factories for fake children and specs. */
export class FakeWorld {
  readonly log: string[] = [];
  readonly events: SupervisionEvent[] = [];
  private readonly changes = new Changes();
  readonly clock = new FakeClock(this.changes);
  readonly logger = winston.createLogger({ silent: true });
  random = 0.5;
  private readonly runs = new Map<string, FakeRun[]>();

  deps(): SupervisorDeps {
    return {
      logger: this.logger,
      report: (event) => {
        this.events.push(event);
        this.changes.notify();
      },
      now: () => this.clock.now,
      sleep: this.clock.sleep,
      random: () => this.random,
    };
  }

  spec(children: readonly ChildSpec[], options: SpecOptions = {}): SupervisorSpec {
    return {
      id: options.id ?? 'root',
      strategy: options.strategy ?? 'one_for_one',
      intensity: options.intensity ?? 100,
      periodMs: options.periodMs ?? 5_000,
      backoff: { ...defaultBackoff, ...options.backoff },
      children,
    };
  }

  child(id: string, options: FakeChildOptions = {}): ChildSpec {
    let attempts = 0;
    return {
      id,
      restart: options.restart ?? 'permanent',
      shutdownMs: options.shutdownMs ?? 1_000,
      start: async (context) => {
        attempts += 1;
        const attempt = attempts;
        this.note(`start ${id}`);
        if (options.gate) await options.gate.wait();
        const failure = options.failStart?.(attempt);
        if (failure) throw failure;
        const value = options.value ? options.value(context, attempt) : `${id}#${attempt}`;
        const run = new FakeRun(id, value, (entry) => this.note(entry), options.stop ?? 'resolve');
        this.runs.set(id, [...this.runsOf(id), run]);
        this.changes.notify();
        return run;
      },
    };
  }

  /**
   * Resolves once `condition` holds, looking at it again on every log entry, telemetry event and
   * sleep: a test waits on what it expects, not on a number of turns. Fails naming `what`.
   */
  until(condition: () => boolean, what: string): Promise<void> {
    return this.changes.until(condition, what);
  }

  private note(entry: string): void {
    this.log.push(entry);
    this.changes.notify();
  }

  runsOf(id: string): FakeRun[] {
    return this.runs.get(id) ?? [];
  }

  /** The latest run of a child. */
  run(id: string): FakeRun {
    const run = this.runsOf(id).at(-1);
    if (!run) throw new Error(`${id} never started`);
    return run;
  }

  /** Telemetry without timestamps, as `type child` strings, for sequence assertions. */
  eventTrail(): string[] {
    return this.events.map((event) => `${event.type} ${event.child}`);
  }

  /** Log entries written after `mark` entries, for asserting only what a crash caused. */
  since(mark: number): string[] {
    return this.log.slice(mark);
  }
}
