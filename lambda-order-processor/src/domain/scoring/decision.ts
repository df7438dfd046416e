import type { OrderStatus, RiskSignal } from '../order/order.js';
import { PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER } from '../signals/product.js';
import type { DecisionThresholds } from '../signals/signal.js';

/** Signals that reject the order whatever the score: patterns too costly to leave to a sum. */
export const OUTRIGHT_REJECT_CODES: ReadonlySet<string> = new Set([PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER]);

export interface Decision {
  status: OrderStatus;
  /** Reasons of the negative signals, outright rejections first, then most negative first; empty when APPROVED. */
  rejectionReasons: string[];
}

function statusFor(score: number, signals: readonly RiskSignal[], thresholds: DecisionThresholds): OrderStatus {
  if (signals.some((signal) => OUTRIGHT_REJECT_CODES.has(signal.code))) return 'REJECTED';
  if (score < thresholds.rejectBelow) return 'REJECTED';
  if (score >= thresholds.approveFrom) return 'APPROVED';
  return 'PENDING_REVIEW';
}

function severity(signal: RiskSignal): number {
  return OUTRIGHT_REJECT_CODES.has(signal.code) ? Number.NEGATIVE_INFINITY : signal.points;
}

export function decide(score: number, signals: readonly RiskSignal[], thresholds: DecisionThresholds): Decision {
  const status = statusFor(score, signals, thresholds);
  if (status === 'APPROVED') return { status, rejectionReasons: [] };
  const rejectionReasons = signals
    .filter((signal) => signal.points < 0 || OUTRIGHT_REJECT_CODES.has(signal.code))
    .sort((a, b) => severity(a) - severity(b))
    .map((signal) => signal.reason);
  return { status, rejectionReasons };
}
