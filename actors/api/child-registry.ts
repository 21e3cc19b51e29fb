/**
 * A typed view of a supervisor's children: each key carries the type of the child's value, so
 * `children.get(rootChildren.bus)` is a `Bus` and asking for the wrong type is a compile error, not a
 * cast at every call site. The supervisor's own rules still apply (only running children; from a
 * child's start, only earlier siblings).
 */

declare const valueType: unique symbol;

/** Names one child and the type of its `value`. */
export interface ChildKey<V> {
  readonly id: string;
  /** Never set: only carries `V`, invariantly, so keys of different types do not mix. */
  readonly [valueType]?: (value: V) => V;
}

export function childKey<V>(id: string): ChildKey<V> {
  return { id };
}

export interface ChildRegistry {
  /** The running child's value; throws (as the supervisor's lookup does) when it is not running. */
  get<V>(key: ChildKey<V>): V;
}

/** Wraps a supervisor's (or a child context's) untyped lookup; the one place its result is typed. */
export function childRegistry(lookup: (childId: string) => unknown): ChildRegistry {
  return { get: <V>(key: ChildKey<V>): V => lookup(key.id) as V };
}
