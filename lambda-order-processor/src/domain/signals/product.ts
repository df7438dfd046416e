import type { OrderItem, RiskSignal } from '../order/order.js';
import type { CustomerStanding } from './customer-history.js';
import { scaleForStanding, standingOf } from './customer-history.js';
import { plural, riskSignal } from './reason.js';
import type { SignalRule } from './signal.js';

/**
 * High-risk goods are the ones a fraudster can turn into cash fast: gift and prepaid cards
 * (instant, untraceable) and resellable electronics. Matched by name or category keywords.
 */

export const PRODUCT_GIFT_CARD = 'PRODUCT_GIFT_CARD';
export const PRODUCT_GIFT_CARD_BULK = 'PRODUCT_GIFT_CARD_BULK';
/** Bulk gift/prepaid cards for an uncorroborated customer: the top fraud pattern, rejected outright. */
export const PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER = 'PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER';
export const PRODUCT_ELECTRONICS = 'PRODUCT_ELECTRONICS';
export const PRODUCT_ELECTRONICS_BULK = 'PRODUCT_ELECTRONICS_BULK';

export const GIFT_CARD_PATTERN =
  /\b(?:gift[ -]?cards?|e-?gift|gift (?:certificates?|vouchers?)|vouchers?|pre-?paid|top-?up cards?|recharge cards?|steam wallet|itunes cards?|google play cards?)\b/i;
export const RESELLABLE_ELECTRONICS_PATTERN =
  /\b(?:i?phones?|smartphones?|ipads?|tablets?|macbooks?|laptops?|(?:game |gaming )?consoles?|playstation|ps5|xbox|nintendo switch|gpus?|graphics cards?|rtx ?\d{3,4}|airpods|apple watch)\b/i;
/** Below this unit price an "electronics" keyword is an accessory (phone case, console stand), not resale stock. */
export const ELECTRONICS_MIN_UNIT_PRICE = 100;

/** Units of one high-risk kind in one order from which it counts as bulk. */
export const BULK_UNITS_FROM = 5;

export const GIFT_CARD_POINTS = -1;
export const GIFT_CARD_BULK_POINTS = -2.5;
export const GIFT_CARD_BULK_NEW_CUSTOMER_POINTS = -3;
export const ELECTRONICS_POINTS = -0.5;
export const ELECTRONICS_BULK_POINTS = -1.5;

const TOPIC = 'High-risk product';

interface KindTally {
  units: number;
  lines: number;
  largestLine: OrderItem | null;
}

function matches(pattern: RegExp, item: OrderItem): boolean {
  return pattern.test(item.name) || (item.category !== undefined && pattern.test(item.category));
}

function add(tally: KindTally, item: OrderItem): void {
  tally.units += item.quantity;
  tally.lines += 1;
  if (tally.largestLine === null || item.quantity > tally.largestLine.quantity) tally.largestLine = item;
}

function describe(tally: KindTally, name: string): string {
  if (tally.lines > 1) return `${tally.units} units of ${name} and ${plural(tally.lines - 1, 'other product')}`;
  return tally.units === 1 ? name : `${tally.units} x ${name}`;
}

function giftCardSignal(tally: KindTally, name: string, standing: CustomerStanding): RiskSignal {
  if (tally.units < BULK_UNITS_FROM) {
    return riskSignal(PRODUCT_GIFT_CARD, scaleForStanding(GIFT_CARD_POINTS, standing), TOPIC, describe(tally, name));
  }
  if (standing === 'uncorroborated') {
    return riskSignal(
      PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER,
      GIFT_CARD_BULK_NEW_CUSTOMER_POINTS,
      TOPIC,
      `${describe(tally, name)} for a new customer`,
    );
  }
  return riskSignal(PRODUCT_GIFT_CARD_BULK, scaleForStanding(GIFT_CARD_BULK_POINTS, standing), TOPIC, describe(tally, name));
}

function electronicsSignal(tally: KindTally, name: string, standing: CustomerStanding): RiskSignal {
  const bulk = tally.units >= BULK_UNITS_FROM;
  return riskSignal(
    bulk ? PRODUCT_ELECTRONICS_BULK : PRODUCT_ELECTRONICS,
    scaleForStanding(bulk ? ELECTRONICS_BULK_POINTS : ELECTRONICS_POINTS, standing),
    TOPIC,
    describe(tally, name),
  );
}

export const productRule: SignalRule = (context) => {
  const giftCards: KindTally = { units: 0, lines: 0, largestLine: null };
  const electronics: KindTally = { units: 0, lines: 0, largestLine: null };
  for (const item of context.order.items) {
    if (matches(GIFT_CARD_PATTERN, item)) add(giftCards, item);
    else if (item.price >= ELECTRONICS_MIN_UNIT_PRICE && matches(RESELLABLE_ELECTRONICS_PATTERN, item)) {
      add(electronics, item);
    }
  }
  if (giftCards.largestLine === null && electronics.largestLine === null) return [];

  const standing = standingOf(context);
  const signals: RiskSignal[] = [];
  if (giftCards.largestLine !== null) signals.push(giftCardSignal(giftCards, giftCards.largestLine.name, standing));
  if (electronics.largestLine !== null) signals.push(electronicsSignal(electronics, electronics.largestLine.name, standing));
  return signals;
};
