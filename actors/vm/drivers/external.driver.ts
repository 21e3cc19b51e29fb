/**
 * The `external` driver: an engine the user already runs. rdd only attaches: start waits (bounded) for
 * the socket to answer, and stop merely stops watching — the user's engine is never stopped.
 */
import type { EngineHandle, VmConfig, VmDriver } from '../driver.js';
import { pingEngine, waitForEngine } from './engine-ping.js';
import { millisecondsFromEnv } from './environment.js';
import { abortReason } from './errors.js';
import { watchUntil, type Watch } from './watch.js';

const defaultStartTimeoutMs = 10_000;
const pollMs = 2_000;
/** One missed ping can be a busy engine; two in a row is a gone one. */
const failuresBeforeDeath = 2;

export function externalDriver(): VmDriver {
  const watches = new Map<string, Watch>();
  const detach = (config: VmConfig): void => {
    watches.get(config.socket)?.cancel();
    watches.delete(config.socket);
    config.logger.info(`Detached from the engine at ${config.socket} (it keeps running)`);
  };
  return {
    name: 'external',
    start: async (config: VmConfig, signal: AbortSignal): Promise<EngineHandle> => {
      const { socket, logger } = config;
      logger.info(`Attaching to the engine at ${socket}…`);
      try {
        await waitForEngine(socket, {
          timeoutMs: millisecondsFromEnv(config.env, 'RDD_EXTERNAL_START_TIMEOUT_MS', defaultStartTimeoutMs),
          signal,
          intervalMs: 250,
        });
      } catch (error) {
        if (signal.aborted) throw abortReason(signal, 'attaching to the engine');
        throw error;
      }
      watches.get(socket)?.cancel();
      const watch = watchEngine(socket);
      watches.set(socket, watch);
      logger.info(`Attached to the engine at ${socket}`);
      // Not ours, so no pid, and never "adopted": there is nothing to take over.
      return { socket, adopted: false, died: watch.died };
    },
    // The user's engine is never ours to stop: a stop is a detach.
    stop: (config: VmConfig): Promise<void> => {
      detach(config);
      return Promise.resolve();
    },
    detach,
    fingerprint: () => null,
  };
}

function watchEngine(socket: string): Watch {
  let failures = 0;
  return watchUntil(async () => {
    try {
      await pingEngine(socket, pollMs);
      failures = 0;
      return null;
    } catch (error) {
      failures++;
      return failures >= failuresBeforeDeath
        ? `the engine at ${socket} stopped answering: ${(error as Error).message}`
        : null;
    }
  }, pollMs);
}
