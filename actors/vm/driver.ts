/**
 * The VM driver contract: whatever runs the container engine (a Lima VM, a dockerd rdd starts, or an
 * engine the user runs) behind one interface, so the VM machine does not care which.
 */
import type { Logger } from 'winston';
import type { EngineName, VmDriverName } from '../../protocol/app.schema.js';
import type { InstancePaths } from '../../protocol/instance.js';

export interface VmConfig {
  readonly instance: string;
  readonly paths: InstancePaths;
  readonly engine: EngineName;
  readonly kubernetes: { readonly enabled: boolean; readonly version: string };
  /** The engine socket the external driver attaches to. */
  readonly socket: string;
  readonly cpus?: number;
  readonly memoryGiB?: number;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
}

/** A running engine. */
export interface EngineHandle {
  /** The engine API socket on the host (unix socket path). */
  readonly socket: string;
  /** The engine process (dockerd, or the Lima host agent), when rdd knows it. */
  readonly pid?: number;
  /** True when start() found the engine a previous daemon left running and took it over. */
  readonly adopted: boolean;
  /** Settles (never rejects) when the engine dies by itself, with why. Not settled by stop(). */
  readonly died: Promise<Error>;
}

export interface VmDriver {
  readonly name: VmDriverName;
  /**
   * Starts the engine, or adopts the one a previous daemon left running, and resolves once its socket
   * answers `/_ping`. Rejects with the cause (for dockerd: the tail of its log). When `signal` aborts,
   * it stops whatever it had started and rejects.
   */
  start(config: VmConfig, signal: AbortSignal): Promise<EngineHandle>;
  /** Stops what start() started (never a user's engine); rejects if it is still alive afterwards. */
  stop(config: VmConfig): Promise<void>;
  /**
   * Lets go of the engine without stopping it: stops watching it (its `died` never settles after this)
   * and forgets it, so the next start() — a restarted VM actor's, or the next daemon's — adopts it.
   * What an actor stopped for a restart calls instead of stop().
   */
  detach(config: VmConfig): void;
  /**
   * A fingerprint of the settings that need a restart of a running VM to apply (the rendered Lima
   * template); null when nothing does.
   */
  fingerprint(config: VmConfig): string | null;
}
