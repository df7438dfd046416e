import type { ReviewDecision, ReviewRecord, StoredOrder } from './order.js';

export interface ReviewDecisionInput {
  decision: ReviewDecision;
  reviewer: string;
  note?: string;
  reviewedAt: string;
}

/**
 * A person's decision on an order: the audit record and the order as it stands afterwards (new
 * status, the decision appended to its history). The caller checks that the order was pending.
 */
export function settleOrder(order: StoredOrder, input: ReviewDecisionInput): { review: ReviewRecord; updatedOrder: StoredOrder } {
  const { decision, reviewer, note, reviewedAt } = input;
  const review: ReviewRecord = { orderId: order.orderId, decision, reviewer, reviewedAt, previousStatus: order.status };
  if (note !== undefined) review.note = note;
  const updatedOrder: StoredOrder = {
    ...order,
    status: decision,
    updatedAt: reviewedAt,
    decisions: [...order.decisions, { status: decision, source: 'review', at: reviewedAt, reviewer, ...(note === undefined ? {} : { note }) }],
  };
  return { review, updatedOrder };
}
