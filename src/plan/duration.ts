/** Durations are written `90s`, `10m`, `1h`, `500ms`, or combined (`1h30m`); a bare number is seconds. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
/**
 * A duration written as text. The plan schema gives it to the editor JSON Schema too, so editors
 * accept what `check` accepts (hence a digit 1-9 somewhere: `0s` is not a timeout).
 */
export const DURATION_PATTERN = /^(?=.*[1-9])(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

export function isDuration(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0;
  // `0.0001ms` fits the pattern and rounds to nothing.
  return typeof value === 'string' && DURATION_PATTERN.test(value) && parseDuration(value) > 0;
}

export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return Math.round(value * 1000);
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)}s`;
}
