/** The bounds of an exponential backoff, in milliseconds. */
export interface BackoffBounds {
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Exponential backoff with full jitter (so a recovering dependency is not hit by every retry at
 * once): a random wait up to `base * 2^attempts`, capped at the maximum, never below the base.
 */
export function backoffMs(attempts: number, bounds: BackoffBounds, random = Math.random): number {
  const ceiling = Math.min(bounds.maxBackoffMs, bounds.baseBackoffMs * 2 ** Math.min(attempts, 30));
  return Math.max(bounds.baseBackoffMs, Math.round(ceiling * random()));
}
