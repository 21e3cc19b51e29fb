/** Durations as users type them: `90s`, `5m`, `1h30m`, `250ms`, or `0` (no limit). */
import { UsageError } from './exit-codes.js';

const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) {
    throw new UsageError(
      `invalid duration ${JSON.stringify(text)}: use a number with a unit (ms, s, m, h), e.g. 90s, 5m, 1h30m, or 0 for no limit`,
    );
  }
  return Math.round(parts.reduce((total, [, amount, unit]) => total + Number(amount) * (unitMs[unit ?? 's'] ?? 0), 0));
}

export function formatDuration(ms: number): string {
  if (ms === 0) return 'no limit';
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1_000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
}
