/** Finding the one mirror a changing command (state, action, delete, annotate) is about. */
import { NotFoundError } from '../../protocol/api-error.js';
import type { Resource } from '../../protocol/resource.schema.js';
import type { ShapeCheckedStore } from '../../client/shape-checked-store.js';
import { UsageError } from '../exit-codes.js';
import { appKind, mirrorNamespace } from '../../protocol/resource-names.js';
import { findByName, parseTarget, type Target } from './target.js';

/**
 * The stored mirror `KIND/NAME` (or `KIND NAME`) means in `namespace` (`-n`; empty or absent: the
 * default, as kubectl); `kinds` limits what the command accepts.
 */
export async function resolveOne(
  store: ShapeCheckedStore,
  args: readonly string[],
  kinds: readonly string[] | null = null,
  namespace: string | undefined = undefined,
): Promise<{ target: Target; resource: Resource }> {
  const wanted = namespace || mirrorNamespace;
  const target = parseTarget(args);
  if (kinds && !kinds.includes(target.info.kind)) {
    throw new UsageError(`this command works on ${kinds.join(', ')} only, not ${target.info.kind}`);
  }
  if (target.names.length !== 1) throw new UsageError(`name exactly one ${target.info.aliases[0]}: KIND/NAME`);
  const name = target.names[0]!;
  // The App is cluster-scoped: a namespace never hides it.
  const inNamespace = (await store.list(target.info.kind)).filter(
    (item) => item.kind === appKind || item.metadata.namespace === wanted,
  );
  const resource = findByName(inNamespace, name);
  if (!resource) {
    const where = target.info.kind === appKind ? '' : ` in namespace ${wanted}`;
    throw new NotFoundError(`${target.info.aliases[0]} "${name}" not found${where}`);
  }
  return { target, resource };
}
