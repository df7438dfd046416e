import type { CustomerProfile } from '../order/customer.js';
import type { OrderRequest, RiskSignal } from '../order/order.js';
import type { VelocitySnapshot } from '../order/velocity.js';

/** Limits for the server-side velocity checks (windows themselves live in VelocityWindows). */
export interface VelocityLimits {
  /** Prior orders by one customer within the customer window before the burst signal fires. */
  customerMaxOrders: number;
  /** Other customers (or emails) seen on one card fingerprint within the card window before it fires. */
  cardMaxOtherCustomers: number;
  /** Other customers shipping to one address within the address window before it fires. */
  addressMaxOtherCustomers: number;
}

export interface DecisionThresholds {
  /** Scores below this are REJECTED. */
  rejectBelow: number;
  /** Scores at or above this are APPROVED; between the two, PENDING_REVIEW. */
  approveFrom: number;
}

export interface ScreeningSettings {
  thresholds: DecisionThresholds;
  velocity: VelocityLimits;
}

/** Everything a signal may look at. No I/O: the store look-ups happen before screening. */
export interface ScreeningContext {
  order: OrderRequest;
  /** What the store knows about the customer; null for a customer never seen before. */
  profile: CustomerProfile | null;
  velocity: VelocitySnapshot;
  /** Server time the order was received. */
  receivedAt: Date;
  settings: ScreeningSettings;
}

/**
 * One explainable check. Returns zero or more signals; each has a stable code, points
 * (negative = riskier) and a reason worded like "Order value: $5000 (Very high risk)".
 */
export type SignalRule = (context: ScreeningContext) => RiskSignal[];
