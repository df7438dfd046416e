import type { OrderStatus } from './order.js';

/** What the store knows about a customer: the only history the screening trusts. */
export interface CustomerProfile {
  customerId: string;
  firstSeenAt: string;
  lastOrderAt: string;
  orderCount: number;
  approvedCount: number;
  rejectedCount: number;
  pendingCount: number;
  approvedAmountCents: number;
}

/** Counter changes to a customer profile, applied atomically with the order. */
export interface CustomerProfileDelta {
  customerId: string;
  at: string;
  orderCount: number;
  approvedCount: number;
  rejectedCount: number;
  pendingCount: number;
  approvedAmountCents: number;
}

const STATUS_FIELD: Record<OrderStatus, 'approvedCount' | 'rejectedCount' | 'pendingCount'> = {
  APPROVED: 'approvedCount',
  REJECTED: 'rejectedCount',
  PENDING_REVIEW: 'pendingCount',
};

function emptyDelta(customerId: string, at: string): CustomerProfileDelta {
  return { customerId, at, orderCount: 0, approvedCount: 0, rejectedCount: 0, pendingCount: 0, approvedAmountCents: 0 };
}

export function profileDeltaForNewOrder(
  customerId: string,
  status: OrderStatus,
  amountCents: number,
  at: string,
): CustomerProfileDelta {
  const delta = emptyDelta(customerId, at);
  delta.orderCount = 1;
  delta[STATUS_FIELD[status]] = 1;
  if (status === 'APPROVED') delta.approvedAmountCents = amountCents;
  return delta;
}

export function profileDeltaForReview(
  customerId: string,
  from: OrderStatus,
  to: OrderStatus,
  amountCents: number,
  at: string,
): CustomerProfileDelta {
  const delta = emptyDelta(customerId, at);
  delta[STATUS_FIELD[from]] -= 1;
  delta[STATUS_FIELD[to]] += 1;
  if (to === 'APPROVED') delta.approvedAmountCents += amountCents;
  if (from === 'APPROVED') delta.approvedAmountCents -= amountCents;
  return delta;
}
