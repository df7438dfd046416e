import type { CustomerProfile, CustomerProfileDelta } from '../domain/order/customer.js';
import type { OrderEvent } from '../domain/events/order-event.js';
import type { OrderStatus, ReviewRecord, StoredOrder } from '../domain/order/order.js';
import type { DailyRollup, RollupDelta } from '../domain/order/rollup.js';
import type { VelocityEntry, VelocityQuery, VelocitySnapshot } from '../domain/order/velocity.js';
import type { RequestUnits } from '../domain/costs/usage.js';

/** Everything that changes when a screened order is recorded: all of it commits, or none of it. */
export interface RecordOrderInput {
  order: StoredOrder;
  rollup: RollupDelta;
  profile: CustomerProfileDelta;
  velocity: VelocityEntry;
  /** Order events for the archive and notifier (SQLite writes them to its outbox). */
  events: OrderEvent[];
}

export type RecordOrderResult =
  | { outcome: 'created'; units: RequestUnits }
  /** The orderId was already taken (idempotency): nothing was written. */
  | { outcome: 'exists'; existing: StoredOrder; units: RequestUnits };

export interface ApplyReviewInput {
  orderId: string;
  /** The review only applies while the order still has this status (optimistic concurrency). */
  expectedStatus: OrderStatus;
  updatedOrder: StoredOrder;
  review: ReviewRecord;
  rollup: RollupDelta;
  profile: CustomerProfileDelta;
  events: OrderEvent[];
}

export type ApplyReviewResult =
  | { outcome: 'applied' }
  | { outcome: 'not_found' }
  /** Someone else changed the order first: the caller answers 409. */
  | { outcome: 'status_changed'; currentStatus: OrderStatus };

export interface ListOrdersQuery {
  status?: OrderStatus;
  /** Inclusive UTC days (yyyy-mm-dd). */
  startDay: string;
  endDay: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface OrderSummary {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  score: number;
  totalAmountCents: number;
  createdAt: string;
  day: string;
}

export interface OrderPage {
  orders: OrderSummary[];
  nextCursor: string | null;
}

/** A write the service is about to make, for estimating its request units before it happens. */
export type PlannedWrite =
  | { kind: 'order'; input: RecordOrderInput }
  | { kind: 'review'; input: ApplyReviewInput }
  | { kind: 'validation-failure'; rollup: RollupDelta };

/** Reading an order costs read units on DynamoDB; the store reports them for the cost model. */
export interface Metered<T> {
  value: T;
  units: RequestUnits;
}

/**
 * The order store port (SPEC section 5). Engines: SQLite (local default), DynamoDB (production).
 * Every engine must pass the shared contract suite in test/contract/order-store.contract.ts.
 * Engine failures (unreachable, locked, throttled) surface as StoreUnavailableError.
 */
export interface OrderStore {
  recordOrder(input: RecordOrderInput): Promise<RecordOrderResult>;
  /**
   * Request units a write will consume on DynamoDB (the SQLite store answers what DynamoDB would).
   * The order's cost is part of the order document, so it is priced before the write commits.
   */
  estimateWriteUnits(write: PlannedWrite): RequestUnits;
  /** Counts a request that failed validation (no order is stored). */
  recordValidationFailure(rollup: RollupDelta): Promise<RequestUnits>;
  getOrder(orderId: string): Promise<Metered<StoredOrder | null>>;
  getReviews(orderId: string): Promise<ReviewRecord[]>;
  applyReview(input: ApplyReviewInput): Promise<ApplyReviewResult>;
  getCustomerProfile(customerId: string): Promise<Metered<CustomerProfile | null>>;
  getVelocity(query: VelocityQuery): Promise<Metered<VelocitySnapshot>>;
  /** One rollup per day that has data, ascending; days without data are absent. */
  getRollups(startDay: string, endDay: string): Promise<DailyRollup[]>;
  listOrders(query: ListOrdersQuery): Promise<OrderPage>;
  /** Cheap round trip used by health checks; throws StoreUnavailableError when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store could not be reached or is overloaded: callers answer 503 with Retry-After. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
