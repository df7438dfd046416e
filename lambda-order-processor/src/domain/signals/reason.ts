import type { RiskSignal } from '../order/order.js';

/**
 * Shared wording and rounding for signals, so every rule explains itself the same way:
 * "Topic: detail (Risk level)", with the level derived from the final points.
 */

/** Points are kept to one decimal; working in integer tenths keeps sums exact. */
export function toTenths(points: number): number {
  return Math.round(points * 10);
}

export function roundPoints(points: number): number {
  return toTenths(points) / 10;
}

const VERY_HIGH_RISK_FROM = 2;
const HIGH_RISK_FROM = 1.2;
const MEDIUM_RISK_FROM = 0.5;

export function riskLevel(points: number): string {
  if (points > 0) return 'Low risk';
  const magnitude = -points;
  if (magnitude >= VERY_HIGH_RISK_FROM) return 'Very high risk';
  if (magnitude >= HIGH_RISK_FROM) return 'High risk';
  if (magnitude >= MEDIUM_RISK_FROM) return 'Medium risk';
  return 'Slight risk';
}

export function riskSignal(code: string, points: number, topic: string, detail: string): RiskSignal {
  const rounded = roundPoints(points);
  return { code, points: rounded, reason: `${topic}: ${detail} (${riskLevel(rounded)})` };
}

/** Seed style: "$5000", "$29.99". */
export function formatDollars(amount: number): string {
  return `$${Number.isInteger(amount) ? String(amount) : amount.toFixed(2)}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
