import { scaleForStanding, standingOf } from './customer-history.js';
import { riskSignal } from './reason.js';
import type { SignalRule } from './signal.js';

export const QUANTITY_BULK_SINGLE_PRODUCT = 'QUANTITY_BULK_SINGLE_PRODUCT';
export const QUANTITY_LARGE_TOTAL = 'QUANTITY_LARGE_TOTAL';

/** Many units of one product, highest first; points for an uncorroborated customer. */
export const SINGLE_PRODUCT_TIERS: readonly { from: number; points: number }[] = [
  { from: 20, points: -2 },
  { from: 10, points: -1.5 },
  { from: 5, points: -1.2 },
];

/** Lines worth less than this are cheap consumables (cables, pens): many units say little. */
export const MIN_LINE_VALUE_FOR_BULK = 100;

/** Many units across different products: a weaker pattern than bulk of one product. */
export const LARGE_TOTAL_UNITS_FROM = 50;
export const LARGE_TOTAL_POINTS = -0.5;

export const quantityRule: SignalRule = (context) => {
  let largestLine = 0;
  let totalUnits = 0;
  for (const item of context.order.items) {
    totalUnits += item.quantity;
    if (item.quantity > largestLine && item.quantity * item.price >= MIN_LINE_VALUE_FOR_BULK) {
      largestLine = item.quantity;
    }
  }

  const tier = SINGLE_PRODUCT_TIERS.find((candidate) => largestLine >= candidate.from);
  if (tier !== undefined) {
    const points = scaleForStanding(tier.points, standingOf(context));
    return [riskSignal(QUANTITY_BULK_SINGLE_PRODUCT, points, 'Quantity', `${largestLine} items of one product`)];
  }
  if (totalUnits >= LARGE_TOTAL_UNITS_FROM) {
    const points = scaleForStanding(LARGE_TOTAL_POINTS, standingOf(context));
    return [riskSignal(QUANTITY_LARGE_TOTAL, points, 'Quantity', `${totalUnits} items in total`)];
  }
  return [];
};
