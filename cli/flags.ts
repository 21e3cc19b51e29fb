/** Flags several commands take, defined once so their names, help and parsing agree everywhere. */
import { Flags } from '@oclif/core';
import { formatDuration, parseDuration } from './duration.js';

export function outputFlag<const T extends readonly string[]>(options: T, defaultValue: T[number]) {
  return Flags.option({
    char: 'o',
    description: `Output format, one of ${options.join('|')}`,
    options,
    default: defaultValue,
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
