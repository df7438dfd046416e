/**
 * Percent comparisons of the report. Results are rounded to one decimal, halves away from zero
 * (so +2.25 -> 2.3 and -2.25 -> -2.3, unlike Math.round which rounds -2.25 to -2.2).
 */

/** Decimals kept in every percentage the API returns. */
export const PERCENT_DECIMALS = 1;

export function roundPercent(value: number): number {
  const scale = 10 ** PERCENT_DECIMALS;
  // toPrecision(15) first removes binary noise such as 12.349999999999998 (for 12.35) from (a - b) / b * 100.
  const cleaned = Number((Math.abs(value) * scale).toPrecision(15));
  const rounded = Math.sign(value) * (Math.round(cleaned) / scale);
  return rounded === 0 ? 0 : rounded;
}

/** Change from `previous` to `current` in percent; null when previous is 0 (no base to compare with). */
export function percentChange(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return roundPercent(((current - previous) / Math.abs(previous)) * 100);
}

/**
 * Estimated versus actual: (actual - estimated) / estimated x 100 (positive when the bill is higher
 * than the estimate); null when the actual cost is unknown or nothing was estimated.
 */
export function variancePercent(estimated: number, actual: number | null): number | null {
  if (actual === null || estimated === 0) return null;
  return roundPercent(((actual - estimated) / estimated) * 100);
}
