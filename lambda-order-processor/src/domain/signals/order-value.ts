import { scaleForStanding, standingOf } from './customer-history.js';
import { formatDollars, riskSignal } from './reason.js';
import type { SignalRule } from './signal.js';

export const ORDER_VALUE_SMALL = 'ORDER_VALUE_SMALL';
export const ORDER_VALUE_LARGE = 'ORDER_VALUE_LARGE';

/** Below this total an order is small: little to gain for a fraudster. */
export const SMALL_ORDER_BELOW = 50;
export const SMALL_ORDER_POINTS = 0.3;

/**
 * Large-order tiers, highest first. Points are for an uncorroborated customer and are softened
 * by the customer's standing (see scaleForStanding).
 */
export const LARGE_ORDER_TIERS: readonly { from: number; points: number }[] = [
  { from: 5000, points: -2 },
  { from: 3000, points: -1.5 },
  { from: 1000, points: -0.7 },
  { from: 500, points: -0.4 },
];

export const orderValueRule: SignalRule = (context) => {
  const total = context.order.totalAmount;
  if (total < SMALL_ORDER_BELOW) {
    return [riskSignal(ORDER_VALUE_SMALL, SMALL_ORDER_POINTS, 'Order value', formatDollars(total))];
  }
  const tier = LARGE_ORDER_TIERS.find((candidate) => total >= candidate.from);
  if (tier === undefined) return [];
  const points = scaleForStanding(tier.points, standingOf(context));
  return [riskSignal(ORDER_VALUE_LARGE, points, 'Order value', formatDollars(total))];
};
