/** What every part gets (the instance and its clients) and what every part gives back (its results). */
import type { NatsConnection } from '@nats-io/transport-node';
import type Docker from 'dockerode';
import type { SyncReports } from './bus.js';
import type { BenchInstance } from './instance.js';
import type { Verdict } from './stats.js';

export interface BenchContext {
  readonly instance: BenchInstance;
  /** dockerode on the instance's engine socket. */
  readonly docker: Docker;
  /** A reconnecting client of the instance's bus. */
  readonly nc: NatsConnection;
  readonly reports: SyncReports;
  /** How many containers the sync, memory, get and idle parts mirror. */
  readonly containers: number;
  /** Progress on stderr. */
  readonly progress: (line: string) => void;
}

/** One measurement against one target: a row of the report. */
export interface BenchResult {
  /** Stable across runs: a later `--only` run replaces the rows with its ids and keeps the others. */
  readonly id: string;
  readonly part: 'a' | 'b' | 'c' | 'd' | 'e';
  readonly what: string;
  readonly target: string;
  readonly measured: string;
  /** How much of the target's budget the measurement used: measured ÷ limit (≤ 1 passes). */
  readonly budget: number | null;
  readonly verdict: Verdict;
  /** Markdown lines (without the bullet) explaining the number. */
  readonly details: readonly string[];
  readonly date: string;
}
