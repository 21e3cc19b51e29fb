/**
 * oclif's `command_not_found` hook: a mistyped command gets the nearest real one, spelled as the user
 * types it (`rdd ctl get`, not oclif's internal `ctl:get`), and exit 2 like every usage error.
 */
import { Errors, type Hook } from '@oclif/core';
import { closeTo, editDistance } from '../../protocol/edit-distance.js';

/**
 * The command `typed` (words as typed, arguments included) most likely meant, or undefined when none is
 * close: each of its words within 2 edits (1 for words of up to 4 letters) of the typed word.
 */
export function nearestCommand(typed: readonly string[], commandIds: readonly string[]): string | undefined {
  let best: { id: string; cost: number } | undefined;
  for (const id of commandIds) {
    const words = id.split(':');
    if (words.length > typed.length) continue;
    const costs = words.map((word, index) => editDistance(word, typed[index] ?? ''));
    const close = words.every((word, index) => closeTo(typed[index] ?? '', word));
    const cost = costs.reduce((sum, one) => sum + one, 0);
    if (close && (!best || cost < best.cost)) best = { id, cost };
  }
  return best?.id.split(':').join(' ');
}

const hook: Hook<'command_not_found'> = function (options) {
  const typed = options.id.split(':');
  const nearest = nearestCommand(typed, options.config.commandIDs);
  const hint = nearest ? `; did you mean "${options.config.bin} ${nearest}"?` : '.';
  return Promise.reject(
    new Errors.CLIError(
      `unknown command "${typed.join(' ')}"${hint} Run ${options.config.bin} --help for every command.`,
      { exit: 2 },
    ),
  );
};

export default hook;
