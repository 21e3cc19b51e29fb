/**
 * Entries by object kind, then by a name the entry's owner already holds (a container ID, a tag): the
 * mirrors supervisor's maps hold thousands of entries, and a key concatenated per entry (`Kind:name`)
 * would be one more string kept alive per mirror.
 */
export class KindTable<V> {
  private readonly byKind = new Map<string, Map<string, V>>();
  private count = 0;

  get(kind: string, name: string): V | undefined {
    return this.byKind.get(kind)?.get(name);
  }

  has(kind: string, name: string): boolean {
    return this.byKind.get(kind)?.has(name) ?? false;
  }

  set(kind: string, name: string, value: V): void {
    let names = this.byKind.get(kind);
    if (!names) {
      names = new Map();
      this.byKind.set(kind, names);
    }
    if (!names.has(name)) this.count += 1;
    names.set(name, value);
  }

  delete(kind: string, name: string): boolean {
    const deleted = this.byKind.get(kind)?.delete(name) ?? false;
    if (deleted) this.count -= 1;
    return deleted;
  }

  /** The entries of one kind, in insertion order. */
  ofKind(kind: string): V[] {
    return [...(this.byKind.get(kind)?.values() ?? [])];
  }

  /** Every entry, kind after kind. */
  values(): V[] {
    return [...this.byKind.values()].flatMap((names) => [...names.values()]);
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.byKind.clear();
    this.count = 0;
  }
}
