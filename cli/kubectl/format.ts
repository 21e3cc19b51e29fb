/**
 * The small value formats the printers share, matched to the tools users compare us with: ages as
 * kubectl prints them (apimachinery's HumanDuration) and sizes as `docker images` prints them.
 */

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const year = 365 * day;

/** `5s`, `3m20s`, `2h`, `4d6h`, `1y30d`: coarser as durations grow, so a column stays short. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / second);
  // A clock a second ahead of ours is still "now"; more than that is a bad timestamp.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / minute);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / hour);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(ms / day);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(ms / year);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** The age of `timestamp` at `now`, or `<unknown>` when there is none (engine times may be null). */
export function age(timestamp: string | null | undefined, now: Date): string {
  if (timestamp === null || timestamp === undefined || timestamp === '') return '<unknown>';
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? '<unknown>' : humanDuration(now.getTime() - time);
}

const sizeUnits = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

/** Decimal units with three significant digits, as `docker images` shows SIZE: `4.26MB`, `512B`. */
export function humanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < sizeUnits.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${Number(size.toPrecision(3))}${sizeUnits[unit]}`;
}

/** The 12-character short form Docker prints for IDs, without a `sha256:` prefix. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** `Terminating` while a deletion is pending, as kubectl shows it in place of a state. */
export function stateOf(metadata: { deletionTimestamp?: string }, state: string): string {
  return metadata.deletionTimestamp === undefined ? state : 'Terminating';
}

/** A list cell: values joined by commas, `<none>` when empty, as kubectl's tables print lists. */
export function listCell(values: readonly string[]): string {
  return values.length === 0 ? '<none>' : values.join(',');
}
