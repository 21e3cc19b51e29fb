/**
 * The canonical forms the builders share: one sort order for strings (code points, never the locale,
 * so every host sorts alike) and one form for engine times.
 */

/** What every builder needs besides the engine object. */
export interface MirrorOptions {
  /** The namespace the mirrors live in (the App's, e.g. `rancher-desktop`). */
  namespace: string;
  /** When the engine object was read, ISO 8601. */
  observedAt: string;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The distinct values, sorted; Docker reports these as sets in no promised order. */
export function sortedSet(values: Iterable<string> | null | undefined): string[] {
  return [...new Set(values ?? [])].sort(compareText);
}

/**
 * A copy with keys in code-point order. `Object.fromEntries` defines own properties, so a label named
 * `__proto__` stays a label. (Integer-like keys still enumerate first: JavaScript orders them, the same
 * way every time.)
 */
export function sortedRecord(record: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => compareText(a, b)));
}

/**
 * An engine time as UTC ISO 8601 with milliseconds, or null for none: empty, unparsable, or Docker's zero
 * time `0001-01-01T00:00:00Z` (a container that never started or never finished). Docker reports
 * nanoseconds and, for volumes and networks, the daemon's local offset; both normalise away here.
 */
export function engineTime(text: string | null | undefined): string | null {
  if (!text) return null;
  const time = new Date(text);
  if (Number.isNaN(time.getTime()) || time.getUTCFullYear() <= 1) return null;
  return time.toISOString();
}
