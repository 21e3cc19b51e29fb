/** Finding the one mirror a changing command (state, action, delete, annotate) is about. */
import { NotFoundError } from '../../protocol/errors.js';
import type { Resource } from '../../protocol/resource.schema.js';
import type { ResourceStore } from '../../protocol/store.js';
import { UsageError } from '../exit-codes.js';
import { findByName, parseTarget, type Target } from './target.js';

/** The stored mirror `KIND/NAME` (or `KIND NAME`) means; `kinds` limits what the command accepts. */
export async function resolveOne(
  store: ResourceStore,
  args: readonly string[],
  kinds: readonly string[] | null = null,
): Promise<{ target: Target; resource: Resource }> {
  const target = parseTarget(args);
  if (kinds && !kinds.includes(target.info.kind)) {
    throw new UsageError(`this command works on ${kinds.join(', ')} only, not ${target.info.kind}`);
  }
  if (target.names.length !== 1) throw new UsageError(`name exactly one ${target.info.aliases[0]}: KIND/NAME`);
  const name = target.names[0]!;
  const resource = findByName(await store.list(target.info.kind), name);
  if (!resource) throw new NotFoundError(`${target.info.aliases[0]} "${name}" not found`);
  return { target, resource };
}
