import { plural, riskSignal } from './reason.js';
import type { SignalRule } from './signal.js';

/**
 * Server-side velocity over the store (counts arrive in ScreeningContext.velocity, limits in
 * settings.velocity). A count far past its limit weighs more than one just past it.
 * Reasons say "recently" because the windows are configured outside ScreeningSettings.
 */

export const VELOCITY_CUSTOMER_BURST = 'VELOCITY_CUSTOMER_BURST';
export const VELOCITY_CARD_SHARED = 'VELOCITY_CARD_SHARED';
export const VELOCITY_ADDRESS_SHARED = 'VELOCITY_ADDRESS_SHARED';

export const CUSTOMER_BURST_POINTS = -1.5;
export const CUSTOMER_BURST_SEVERE_POINTS = -3;
export const CARD_SHARED_POINTS = -2.5;
export const CARD_SHARED_SEVERE_POINTS = -4;
export const ADDRESS_SHARED_POINTS = -1.5;
export const ADDRESS_SHARED_SEVERE_POINTS = -2.5;
/** A count at least this many times its firing point is severe. */
export const SEVERE_MULTIPLE = 2;

const TOPIC = 'Velocity';

function pointsFor(count: number, firesFrom: number, points: number, severePoints: number): number {
  return count >= firesFrom * SEVERE_MULTIPLE ? severePoints : points;
}

/** One customer placing many orders within minutes. */
export const customerBurstRule: SignalRule = ({ velocity, settings }) => {
  const recent = velocity.customerRecentOrders;
  const firesFrom = Math.max(1, settings.velocity.customerMaxOrders);
  if (recent < firesFrom) return [];
  return [
    riskSignal(
      VELOCITY_CUSTOMER_BURST,
      pointsFor(recent, firesFrom, CUSTOMER_BURST_POINTS, CUSTOMER_BURST_SEVERE_POINTS),
      TOPIC,
      `${plural(recent, 'earlier order')} from this customer recently`,
    ),
  ];
};

/** One card (last4 + shipping address) used by several customers or emails: card testing. */
export const cardSharedRule: SignalRule = ({ velocity, settings }) => {
  const limit = settings.velocity.cardMaxOtherCustomers;
  const byCustomers = velocity.cardOtherCustomers >= velocity.cardOtherEmails;
  const others = byCustomers ? velocity.cardOtherCustomers : velocity.cardOtherEmails;
  if (others <= limit) return [];
  return [
    riskSignal(
      VELOCITY_CARD_SHARED,
      pointsFor(others, limit + 1, CARD_SHARED_POINTS, CARD_SHARED_SEVERE_POINTS),
      TOPIC,
      `this card was used by ${plural(others, byCustomers ? 'other customer' : 'other email')} recently`,
    ),
  ];
};

/** One shipping address receiving orders from several customers: a drop or reshipping address. */
export const addressSharedRule: SignalRule = ({ velocity, settings }) => {
  const others = velocity.addressOtherCustomers;
  const limit = settings.velocity.addressMaxOtherCustomers;
  if (others <= limit) return [];
  return [
    riskSignal(
      VELOCITY_ADDRESS_SHARED,
      pointsFor(others, limit + 1, ADDRESS_SHARED_POINTS, ADDRESS_SHARED_SEVERE_POINTS),
      TOPIC,
      `${plural(others, 'other customer')} shipped to this address recently`,
    ),
  ];
};
