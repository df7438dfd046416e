import { costMetricsBody } from '../domain/costs/cost-model.js';
import type { CostMetricsBody, DecisionRecord, OrderRequest, ReviewRecord, RiskSignal, ScreeningInfo, StoredOrder } from '../domain/order/order.js';
import type { OrderStore } from '../ports/order-store.js';

/** GET /orders/{orderId}: the stored order with its decision history and reviews. */
export interface OrderView {
  orderId: string;
  status: StoredOrder['status'];
  aiScore: number;
  customerId: string;
  totalAmount: number;
  createdAt: string;
  updatedAt: string;
  rejectionReasons: string[];
  riskSignals: RiskSignal[];
  screening: ScreeningInfo;
  /** Everything processing this order has cost so far (screening plus reviews). */
  costMetrics: CostMetricsBody;
  decisions: DecisionRecord[];
  reviews: ReviewRecord[];
  order: OrderRequest;
}

/** The reads the order view needs: the order processor's store, or the analytics service's read side. */
export type OrderViewStore = Pick<OrderStore, 'getOrder' | 'getReviews'>;

export class OrderQueryService {
  constructor(private readonly store: OrderViewStore) {}

  async get(orderId: string): Promise<OrderView | null> {
    const { value: order } = await this.store.getOrder(orderId);
    if (!order) return null;
    return this.view(order, await this.store.getReviews(orderId));
  }

  view(order: StoredOrder, reviews: ReviewRecord[]): OrderView {
    return {
      orderId: order.orderId,
      status: order.status,
      aiScore: order.score,
      customerId: order.customerId,
      totalAmount: order.totalAmountCents / 100,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      rejectionReasons: order.rejectionReasons,
      riskSignals: order.signals,
      screening: order.screening,
      costMetrics: costMetricsBody(order.costNanos, order.usage.ai),
      decisions: order.decisions,
      reviews,
      order: order.request,
    };
  }
}
