import type { ReviewRecord, StoredOrder } from '@orderops/lambda-order-processor/domain/order/order';
import type { DailyRollup } from '@orderops/lambda-order-processor/domain/order/rollup';
import type { ListOrdersQuery, Metered, OrderPage } from '@orderops/lambda-order-processor/ports/order-store';

/**
 * The read side of the order store that the analytics needs: the same signatures as the order
 * processor's OrderStore (SqliteOrderStore locally, the DynamoDB store in production), so every
 * engine the order API writes can be read here. Failures to reach the engine surface as the order
 * processor's StoreUnavailableError.
 */
export interface AnalyticsStore {
  /** One rollup per UTC day that has data, ascending; days without data are absent. Days are inclusive. */
  getRollups(startDay: string, endDay: string): Promise<DailyRollup[]>;
  /** Newest first, keyset-paginated; throws RangeError for a bad cursor or a limit outside 1-1000. */
  listOrders(query: ListOrdersQuery): Promise<OrderPage>;
  getOrder(orderId: string): Promise<Metered<StoredOrder | null>>;
  getReviews(orderId: string): Promise<ReviewRecord[]>;
  /** Cheap round trip for readiness; throws when the store cannot answer. */
  ping(): Promise<void>;
}

/** Injection token of the AnalyticsStore (provided globally by StoreModule). */
export const ANALYTICS_STORE = Symbol('ANALYTICS_STORE');
