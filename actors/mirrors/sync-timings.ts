/**
 * Where one sync's time goes, for the daemon's "sync in N ms" log line: the wall time of each phase
 * (store read, engine list, actor start, observations, clean-up) and the daemon's CPU time over the
 * whole sync, so a slow sync says whether it waited (on the engine, the store) or computed.
 */

export type SyncPhase = 'namespace' | 'store' | 'kept' | 'list' | 'actors' | 'observe' | 'cleanup';

export class SyncTimings {
  private readonly phases = new Map<SyncPhase, number>();
  private readonly startedAt = performance.now();
  private readonly cpuAtStart = process.cpuUsage();
  private cpuMs: number | null = null;
  private wallMs: number | null = null;

  /** Runs `work`, adding its wall time to `phase` (phases repeated per kind add up). */
  async time<T>(phase: SyncPhase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(phase, performance.now() - started);
    }
  }

  /** The same for synchronous work. */
  timeSync<T>(phase: SyncPhase, work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.add(phase, performance.now() - started);
    }
  }

  /** The sync is over: its wall and CPU time are read now. */
  finish(): void {
    const cpu = process.cpuUsage(this.cpuAtStart);
    this.cpuMs = (cpu.user + cpu.system) / 1000;
    this.wallMs = performance.now() - this.startedAt;
  }

  /** `store 12 ms, list 40 ms, …; daemon CPU 800 ms of 1200 ms`, in the order the phases ran. */
  describe(): string {
    const phases = [...this.phases].map(([phase, ms]) => `${phase} ${Math.round(ms)} ms`).join(', ');
    if (this.cpuMs === null || this.wallMs === null) return phases;
    return `${phases}; daemon CPU ${Math.round(this.cpuMs)} ms in ${Math.round(this.wallMs)} ms`;
  }

  private add(phase: SyncPhase, ms: number): void {
    this.phases.set(phase, (this.phases.get(phase) ?? 0) + ms);
  }
}
