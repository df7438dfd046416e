import { billedDurationMs, computeOrderCost } from '../domain/costs/cost-model.js';
import type { DeploymentProfile } from '../domain/costs/usage.js';
import { orderEvent } from '../domain/events/order-event.js';
import { profileDeltaForReview } from '../domain/order/customer.js';
import { addCosts, zeroCost } from '../domain/costs/breakdown.js';
import type { ReviewRecord, StoredOrder } from '../domain/order/order.js';
import { settleOrder } from '../domain/order/review.js';
import { rollupForReview } from '../domain/order/rollup.js';
import { validateReviewBody, type FieldError } from '../domain/validation/validate.js';
import type { ApplyReviewInput, OrderStore } from '../ports/order-store.js';
import { addUnits, elapsedMs, logBytesFor, type RequestTiming } from './request-metering.js';

export type ReviewResult =
  | { kind: 'reviewed'; order: StoredOrder; review: ReviewRecord }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'not_found' }
  | { kind: 'not_pending'; status: StoredOrder['status'] };

export interface OrderReviewDependencies {
  store: OrderStore;
  deployment: DeploymentProfile;
}

/**
 * POST /orders/{orderId}/review: a person settles a PENDING_REVIEW order. The review is an audit
 * record; the rollup of the order's day moves the order to its new status; a notification goes out.
 * The review's own processing cost is added to the order's cost and to the day's rollup.
 */
export class OrderReviewService {
  constructor(private readonly deps: OrderReviewDependencies) {}

  async review(orderId: string, body: unknown, timing: RequestTiming): Promise<ReviewResult> {
    const validation = validateReviewBody(body);
    if (!validation.ok) return { kind: 'invalid', errors: validation.errors };
    const { store } = this.deps;

    const current = await store.getOrder(orderId);
    const order = current.value;
    if (!order) return { kind: 'not_found' };
    if (order.status !== 'PENDING_REVIEW') return { kind: 'not_pending', status: order.status };

    const reviewedAt = timing.receivedAt.toISOString();
    const { decision, reviewer } = validation.value;
    const { review, updatedOrder } = settleOrder(order, { ...validation.value, reviewedAt });
    const reviewFacts = { orderDay: order.day, from: order.status, to: decision, amountCents: order.totalAmountCents };
    const input: ApplyReviewInput = {
      orderId,
      expectedStatus: order.status,
      updatedOrder,
      review,
      rollup: rollupForReview({ ...reviewFacts, cost: zeroCost(), billedLambdaMs: 0 }),
      profile: profileDeltaForReview(order.customerId, order.status, decision, order.totalAmountCents, reviewedAt),
      events: [],
    };

    const writeUnits = store.estimateWriteUnits({ kind: 'review', input });
    const usage = {
      deployment: this.deps.deployment,
      handlerDurationMs: elapsedMs(timing),
      requestUnits: addUnits(current.units, writeUnits),
      archivePuts: 1,
      notifications: 1,
      logBytes: logBytesFor([{ orderId, decision, reviewer }]),
      ai: null,
    };
    const reviewCost = computeOrderCost(usage);
    updatedOrder.costNanos = addCosts(order.costNanos, reviewCost);
    input.rollup = rollupForReview({ ...reviewFacts, cost: reviewCost, billedLambdaMs: billedDurationMs(usage.handlerDurationMs) });
    input.events = [orderEvent('ORDER_REVIEWED', updatedOrder, reviewedAt)];

    const result = await store.applyReview(input);
    if (result.outcome === 'not_found') return { kind: 'not_found' };
    if (result.outcome === 'status_changed') return { kind: 'not_pending', status: result.currentStatus };
    return { kind: 'reviewed', order: updatedOrder, review };
  }
}

