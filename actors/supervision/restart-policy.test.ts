import { createSlots } from './child-slot.js';
import { planRestart, RestartPolicy, RestartWindow } from './restart-policy.js';
import type { ChildSpec, RestartBackoff, RestartType, Strategy } from './types.js';

const policy: RestartBackoff = { initialMs: 100, maxMs: 1_000, jitter: 0.2, resetAfterMs: 10_000 };

function spec(id: string, restart: RestartType = 'permanent'): ChildSpec {
  return { id, restart, shutdownMs: 0, start: () => Promise.reject(new Error('not started in these tests')) };
}

describe('RestartPolicy', () => {
  const limits = { intensity: 100, periodMs: 1_000, backoff: policy };

  it.each([
    { consecutive: 1, random: 0.5, expected: 100 },
    { consecutive: 2, random: 0.5, expected: 200 },
    { consecutive: 3, random: 0.5, expected: 400 },
    { consecutive: 5, random: 0.5, expected: 1_000 },
    { consecutive: 40, random: 0.5, expected: 1_000 },
    { consecutive: 1, random: 0, expected: 80 },
    { consecutive: 1, random: 1, expected: 120 },
    { consecutive: 5, random: 1, expected: 1_200 },
  ])('should wait $expected ms when crash $consecutive draws random $random', ({ consecutive, random, expected }) => {
    // Arrange
    const restarts = new RestartPolicy(limits, () => random);

    // Act
    const decision = restarts.onCrash(0, consecutive - 1, 0);

    // Assert
    expect(decision.consecutive).toBe(consecutive);
    expect(decision.delayMs).toBeCloseTo(expected, 6);
  });

  it('should start the backoff afresh when the child ran for resetAfterMs before crashing', () => {
    // Arrange
    const restarts = new RestartPolicy(limits, () => 0.5);

    // Act
    const decision = restarts.onCrash(0, 4, policy.resetAfterMs);

    // Assert
    expect(decision).toMatchObject({ consecutive: 1, delayMs: 100, escalate: false });
  });

  it('should escalate when more than intensity crashes fall within the period', () => {
    // Arrange
    const restarts = new RestartPolicy({ ...limits, intensity: 2 }, () => 0.5);

    // Act
    const decisions = [0, 100, 200].map((now) => restarts.onCrash(now, 0, 0));

    // Assert
    expect(decisions.map(({ restarts: count, escalate }) => ({ count, escalate }))).toEqual([
      { count: 1, escalate: false },
      { count: 2, escalate: false },
      { count: 3, escalate: true },
    ]);
  });
});

describe('RestartWindow', () => {
  it('should count only restarts that are younger than the period', () => {
    // Arrange
    const window = new RestartWindow(2, 1_000);

    // Act
    const counts = [0, 500, 999, 1_000, 1_600].map((now) => window.record(now));

    // Assert
    expect(counts).toEqual([1, 2, 3, 3, 3]);
    expect(counts.map((count) => window.exceeded(count))).toEqual([false, false, true, true, true]);
  });
});

describe('planRestart', () => {
  it.each([
    { strategy: 'one_for_one' as const, stop: [], start: ['b'] },
    { strategy: 'rest_for_one' as const, stop: ['c', 'd'], start: ['b', 'd'] },
    { strategy: 'one_for_all' as const, stop: ['a', 'c', 'd'], start: ['a', 'b', 'd'] },
  ])(
    'should stop $stop and start $start when b crashes under $strategy beside a temporary c',
    ({ strategy, stop, start }: { strategy: Strategy; stop: string[]; start: string[] }) => {
      // Arrange
      const slots = createSlots({
        id: 'root',
        strategy,
        intensity: 1,
        periodMs: 1_000,
        backoff: policy,
        children: [spec('a'), spec('b'), spec('c', 'temporary'), spec('d', 'transient')],
      });

      // Act
      const plan = planRestart(strategy, slots, slots[1]!);

      // Assert
      expect(plan.stop.map((slot) => slot.spec.id)).toEqual(stop);
      expect(plan.start.map((slot) => slot.spec.id)).toEqual(start);
    },
  );

  it('should reject two children with the same id', () => {
    // Act
    const create = (): unknown =>
      createSlots({
        id: 'root',
        strategy: 'one_for_one',
        intensity: 1,
        periodMs: 1,
        backoff: policy,
        children: [spec('a'), spec('a')],
      });

    // Assert
    expect(create).toThrow('supervisor root has two children with id a');
  });
});
