/** The flags of `rdd ctl logs` as the user types them, turned into what the daemon's request takes. */
import { UsageError } from '../exit-codes.js';

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const duration = /^(\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `--since 5s|2m|3h|1h30m` (that long before `now`) or an RFC 3339 time, as Unix seconds. */
export function parseSince(text: string, now: Date): number {
  const trimmed = text.trim();
  if (rfc3339.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (!Number.isNaN(at)) return Math.max(0, at / 1000);
  }
  if (duration.test(trimmed)) {
    const ms = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)].reduce(
      (total, [, amount, unit]) => total + Number(amount) * (unitMs[unit ?? 's'] ?? 0),
      0,
    );
    return Math.max(0, (now.getTime() - ms) / 1000);
  }
  throw new UsageError(
    `invalid --since ${JSON.stringify(text)}: use a duration (5s, 2m, 3h, 1h30m) or an RFC 3339 time (2026-01-02T15:04:05Z)`,
  );
}

/** `--tail N`: the last N lines, or -1 for all of them. */
export function parseTail(text: string): number {
  const trimmed = text.trim();
  if (/^(-1|\d+)$/.test(trimmed) && Number(trimmed) <= Number.MAX_SAFE_INTEGER) return Number(trimmed);
  throw new UsageError(`invalid --tail ${JSON.stringify(text)}: use a number of lines (0 or more), or -1 for all`);
}

/**
 * `logs NAME`, `logs container/NAME` or `logs container NAME`: a bare name is a container, the only
 * kind with logs (as kubectl's bare name is a pod).
 */
export function logsTargetWords(args: readonly string[]): string[] {
  if (args.length === 1 && !args[0]!.includes('/')) return ['container', args[0]!];
  return [...args];
}
