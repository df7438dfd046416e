import type { CustomerProfile } from '../order/customer.js';
import type { OrderRequest, RiskSignal } from '../order/order.js';
import { plural, riskSignal, toTenths } from './reason.js';
import type { ScreeningContext, SignalRule } from './signal.js';

/**
 * Customer history comes from the store's profile only. The client's `orderHistory` and
 * `customerType` are claims nobody verified: they may soften the new-customer penalty a little,
 * never add points of their own, and never change how other rules treat the customer.
 */

export const CUSTOMER_NEW = 'CUSTOMER_NEW';
export const CUSTOMER_NO_APPROVED_ORDERS = 'CUSTOMER_NO_APPROVED_ORDERS';
export const CUSTOMER_PRIOR_REJECTIONS = 'CUSTOMER_PRIOR_REJECTIONS';
export const CUSTOMER_ESTABLISHED = 'CUSTOMER_ESTABLISHED';

export const NEW_CUSTOMER_POINTS = -1;
/** The most an unverified claim (orderHistory > 0, VIP or BUSINESS) can take off the new-customer penalty. */
export const CLAIMED_HISTORY_SOFTENING = 0.2;
export const NO_APPROVED_ORDERS_POINTS = -1;
export const FIRST_REJECTION_POINTS = -1.5;
export const EACH_FURTHER_REJECTION_POINTS = -0.5;
export const MAX_REJECTION_POINTS = -3;

export const ESTABLISHED_MIN_APPROVED = 3;
export const ESTABLISHED_MIN_AGE_DAYS = 30;
export const ESTABLISHED_POINTS = 1;
export const LONG_STANDING_MIN_APPROVED = 10;
export const LONG_STANDING_MIN_AGE_DAYS = 180;
export const LONG_STANDING_POINTS = 1.5;

/**
 * How far the store's record vouches for the customer:
 * - uncorroborated: unknown, no approved order yet, or at least as many rejections as approvals;
 * - known: some approved orders, not yet established;
 * - established: enough approved orders over enough time and no rejection.
 */
export type CustomerStanding = 'uncorroborated' | 'known' | 'established';

const MS_PER_DAY = 86_400_000;

export function customerAgeDays(profile: CustomerProfile, now: Date): number {
  return (now.getTime() - Date.parse(profile.firstSeenAt)) / MS_PER_DAY;
}

export function customerStanding(profile: CustomerProfile | null, now: Date): CustomerStanding {
  if (profile === null || profile.approvedCount === 0 || profile.rejectedCount >= profile.approvedCount) {
    return 'uncorroborated';
  }
  if (
    profile.rejectedCount === 0 &&
    profile.approvedCount >= ESTABLISHED_MIN_APPROVED &&
    customerAgeDays(profile, now) >= ESTABLISHED_MIN_AGE_DAYS
  ) {
    return 'established';
  }
  return 'known';
}

/** Share (percent) of an order-shape risk (value, quantity, product, ...) that applies per standing. */
export const STANDING_RISK_PERCENT: Readonly<Record<CustomerStanding, number>> = {
  uncorroborated: 100,
  known: 60,
  established: 30,
};

/** Scales order-shape risk points by the customer's standing; never rounds a risk away entirely. */
export function scaleForStanding(points: number, standing: CustomerStanding): number {
  const tenths = toTenths(points);
  const scaled = Math.round((tenths * STANDING_RISK_PERCENT[standing]) / 100);
  return (scaled === 0 ? Math.sign(tenths) : scaled) / 10;
}

export function standingOf(context: ScreeningContext): CustomerStanding {
  return customerStanding(context.profile, context.receivedAt);
}

function describeClaim(order: OrderRequest): string | null {
  const parts: string[] = [];
  if (order.customerType !== 'REGULAR') parts.push(`${order.customerType} status`);
  if (order.orderHistory !== undefined && order.orderHistory > 0) {
    parts.push(plural(order.orderHistory, 'prior order'));
  }
  return parts.length === 0 ? null : parts.join(' and ');
}

function newCustomerSignal(order: OrderRequest): RiskSignal {
  const claim = describeClaim(order);
  if (claim === null) {
    return riskSignal(CUSTOMER_NEW, NEW_CUSTOMER_POINTS, 'New customer', 'no order history on record');
  }
  return riskSignal(
    CUSTOMER_NEW,
    NEW_CUSTOMER_POINTS + CLAIMED_HISTORY_SOFTENING,
    'New customer',
    `no order history on record, claimed ${claim} unverified`,
  );
}

function rejectionPoints(rejectedCount: number): number {
  return Math.max(MAX_REJECTION_POINTS, FIRST_REJECTION_POINTS + EACH_FURTHER_REJECTION_POINTS * (rejectedCount - 1));
}

export const customerHistoryRule: SignalRule = (context) => {
  const { profile, receivedAt } = context;
  if (profile === null) return [newCustomerSignal(context.order)];

  const signals: RiskSignal[] = [];
  if (profile.approvedCount === 0) {
    signals.push(
      riskSignal(CUSTOMER_NO_APPROVED_ORDERS, NO_APPROVED_ORDERS_POINTS, 'Customer history', 'no approved orders on record'),
    );
  }
  if (profile.rejectedCount > 0) {
    signals.push(
      riskSignal(
        CUSTOMER_PRIOR_REJECTIONS,
        rejectionPoints(profile.rejectedCount),
        'Customer history',
        `${plural(profile.rejectedCount, 'rejected order')} on record`,
      ),
    );
  }
  if (customerStanding(profile, receivedAt) === 'established') {
    const ageDays = Math.floor(customerAgeDays(profile, receivedAt));
    const longStanding = profile.approvedCount >= LONG_STANDING_MIN_APPROVED && ageDays >= LONG_STANDING_MIN_AGE_DAYS;
    signals.push(
      riskSignal(
        CUSTOMER_ESTABLISHED,
        longStanding ? LONG_STANDING_POINTS : ESTABLISHED_POINTS,
        'Customer history',
        `${plural(profile.approvedCount, 'approved order')} over ${plural(ageDays, 'day')}`,
      ),
    );
  }
  return signals;
};
