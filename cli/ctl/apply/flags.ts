/** The flags `rdd ctl apply` and `rdd ctl patch` share, and how they print what they did. */
import { Flags } from '@oclif/core';
import type { Resource } from '../../../protocol/resource.schema.js';
import { resultOutputFlag } from '../../flags.js';
import { resourceName } from '../../kubectl/index.js';
import { renderResult } from '../../output.js';
import { listOf } from '../render.js';
import { describeOutcome, dryRunModes, type DryRun, type Outcome } from './perform.js';

export const writeFlags = {
  'dry-run': Flags.option({
    description:
      'none: change the object; server: the daemon validates the change and prints the object as it would be, storing ' +
      'and doing nothing; client: check here and print it, sending nothing',
    options: dryRunModes,
    default: 'none' as DryRun,
  })(),
  output: resultOutputFlag(['json', 'yaml', 'name'] as const, 'kubectl\'s "KIND/NAME configured" lines'),
};

/** kubectl's bare `--dry-run` meant client, and still does; `--dry-run server` is `--dry-run=server`. */
export function bareDryRunIsClient(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg !== '--dry-run') result.push(arg);
    else if ((dryRunModes as readonly string[]).includes(argv[index + 1] ?? ''))
      result.push(`--dry-run=${argv[++index]}`);
    else result.push('--dry-run=client');
  }
  return result;
}

export function renderOutcomes(
  outcomes: readonly Outcome[],
  verb: 'apply' | 'patch',
  dryRun: DryRun,
  output: 'json' | 'yaml' | 'name' | undefined,
): string {
  const objects: Resource[] = outcomes.map((outcome) => outcome.object);
  if (output === 'name') return objects.map((object) => `${resourceName(object)}\n`).join('');
  if (output) return renderResult(objects.length === 1 ? objects[0] : listOf(objects), output);
  return outcomes.map((outcome) => `${describeOutcome(outcome, verb, dryRun)}\n`).join('');
}
