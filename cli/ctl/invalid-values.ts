/**
 * How `rdd ctl` reports a stored value that is not a valid resource (written by hand, or by an older
 * rdd): the listing or watch goes on without it, and stderr says which key was left out and why, once
 * per key and revision.
 */
import type { ShapeCheckedStore } from '../../client/shape-checked-store.js';

export function warnAboutInvalidValues(
  store: ShapeCheckedStore,
  write: (line: string) => void = (line) => process.stderr.write(line),
): ShapeCheckedStore {
  const warned = new Set<string>();
  store.onInvalidValue(({ key, revision, issue }) => {
    const id = `${key}@${revision}`;
    if (warned.has(id)) return;
    warned.add(id);
    write(`Warning: left out ${key} (revision ${revision}), which is not a valid resource: ${issue}\n`);
  });
  return store;
}
