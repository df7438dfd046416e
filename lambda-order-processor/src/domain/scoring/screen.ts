import type { OrderStatus, RiskSignal } from '../order/order.js';
import type { VelocityWindows } from '../order/velocity.js';
import { RULES } from '../signals/index.js';
import type { ScreeningContext, ScreeningSettings } from '../signals/signal.js';
import { decide } from './decision.js';
import { scoreSignals } from './score.js';

export const DEFAULT_SCREENING_SETTINGS: ScreeningSettings = {
  thresholds: { rejectBelow: 4, approveFrom: 7 },
  velocity: {
    // The 4th order within the customer window fires.
    customerMaxOrders: 3,
    // One other customer on the same card and address is a household; two is card testing.
    cardMaxOtherCustomers: 1,
    // Offices and apartment blocks receive for a few customers; more is a drop address.
    addressMaxOtherCustomers: 3,
  },
};

export const DEFAULT_VELOCITY_WINDOWS: VelocityWindows = {
  customerSeconds: 10 * 60,
  cardSeconds: 60 * 60,
  addressSeconds: 24 * 60 * 60,
};

export interface RulesScreeningResult {
  score: number;
  signals: RiskSignal[];
  status: OrderStatus;
  rejectionReasons: string[];
}

/** Rules + velocity screening: every rule's signals, their score and the decision. Pure and cheap. */
export function screenWithRules(context: ScreeningContext): RulesScreeningResult {
  const signals: RiskSignal[] = [];
  for (const rule of RULES) {
    for (const signal of rule(context)) signals.push(signal);
  }
  const score = scoreSignals(signals);
  const { status, rejectionReasons } = decide(score, signals, context.settings.thresholds);
  return { score, signals, status, rejectionReasons };
}
