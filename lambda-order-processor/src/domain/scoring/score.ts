import type { RiskSignal } from '../order/order.js';
import { toTenths } from '../signals/reason.js';

/**
 * score = clamp(BASE + sum(points), 0, 10), one decimal. The base is the top of the scale:
 * a clean order from a known customer scores high, and every risk signal takes points off.
 */
export const BASE_SCORE = 10;
export const MIN_SCORE = 0;
export const MAX_SCORE = 10;

export function scoreSignals(signals: readonly RiskSignal[]): number {
  // Integer tenths: 7.1 + 0.2 must be 7.3, not 7.299999.
  let tenths = BASE_SCORE * 10;
  for (const signal of signals) tenths += toTenths(signal.points);
  return Math.min(MAX_SCORE * 10, Math.max(MIN_SCORE * 10, tenths)) / 10;
}
