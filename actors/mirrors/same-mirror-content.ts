/** The writer's test for "nothing to write". */
import type { Resource } from '../../protocol/resource.schema.js';

/**
 * Whether `a` and `b` say the same thing apart from `status.observedAt` and `metadata.resourceVersion`:
 * the writer skips a write when only those would change, so a re-inspect of an unchanged engine object
 * mints no KV revision. Compares as JSON values: key order does not matter (a value read back from the
 * store may list keys in another order), array order does, and an `undefined` property is an absent one.
 */
export function sameMirrorContent(a: Resource, b: Resource): boolean {
  const left = withoutVolatile(a);
  const right = withoutVolatile(b);
  // Mostly the same object rebuilt in the same key order: plain JSON settles it without sorting keys
  // (the sort dominated a sync's CPU). Only a difference needs the order-blind check.
  return JSON.stringify(left) === JSON.stringify(right) || canonicalJson(left) === canonicalJson(right);
}

function withoutVolatile(resource: Resource): unknown {
  const { resourceVersion: _resourceVersion, ...metadata } = resource.metadata;
  const status = isRecord(resource.status) ? withoutKey(resource.status, 'observedAt') : resource.status;
  return { ...resource, metadata, status };
}

function withoutKey(record: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with every object's keys sorted: equal JSON values give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isRecord(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  );
}
