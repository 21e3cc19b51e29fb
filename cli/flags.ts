/** Flags several commands take, defined once so their names, help and parsing agree everywhere. */
import { Flags } from '@oclif/core';
import { maxStopTimeSeconds, stopTimeMessage } from '../protocol/mirrors/stop-time.js';
import { formatDuration, parseDuration } from './duration.js';
import { UsageError } from './exit-codes.js';

export function outputFlag<const T extends readonly string[]>(options: T, defaultValue: T[number]) {
  return Flags.option({
    char: 'o',
    description: `Output format, one of ${options.join('|')}`,
    options,
    default: defaultValue,
  })();
}

/**
 * `-o` on a command whose result is a short human line unless a format is asked for: absent, the line;
 * given, the resulting object in that format on stdout.
 */
export function resultOutputFlag<const T extends readonly string[]>(options: T, without: string) {
  return Flags.option({
    char: 'o',
    description: `Print the resulting object, one of ${options.join('|')} [default: ${without}]`,
    options,
  })();
}

export function timeoutFlag(defaultMs: number, what: string) {
  return Flags.custom<number>({
    description: `How long to wait for ${what} (e.g. 30s, 5m; 0 waits forever)`,
    default: defaultMs,
    defaultHelp: () => Promise.resolve(formatDuration(defaultMs)),
    parse: (input) => Promise.resolve(parseDuration(input)),
  })();
}

/**
 * A stop's grace period, as `docker stop -t/--time`: seconds the engine gives the container's process
 * after SIGTERM before it kills it. Distinct from --timeout, which bounds how long the CLI waits.
 */
export function stopTimeFlag() {
  return Flags.custom<number>({
    char: 't',
    description:
      `Grace period for stop and restart: seconds the engine waits after SIGTERM before it kills the ` +
      `process, 0-${maxStopTimeSeconds} (as docker stop -t) [default: the container's own, 10 unless set]`,
    parse: (input) => Promise.resolve(parseStopTime(input)),
  })();
}

export function parseStopTime(input: string): number {
  const seconds = Number(input);
  if (!/^\d+$/.test(input.trim()) || seconds > maxStopTimeSeconds) {
    throw new UsageError(`invalid --time ${JSON.stringify(input)}: ${stopTimeMessage}`);
  }
  return seconds;
}
