import type { OrderUsage } from '../costs/usage.js';

/**
 * The order as the core sees it: validated input, screening outcome and the stored record.
 * Money in orders is integer cents (exact, and large order values stay far inside 2^53);
 * processing costs are integer nano-dollars (see ../costs/money.ts).
 */

export const CUSTOMER_TYPES = ['REGULAR', 'BUSINESS', 'VIP'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const PAYMENT_METHODS = ['CREDIT_CARD', 'DEBIT_CARD', 'PURCHASE_ORDER'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const CARD_PAYMENT_METHODS: readonly PaymentMethod[] = ['CREDIT_CARD', 'DEBIT_CARD'];

export const ORDER_STATUSES = ['APPROVED', 'PENDING_REVIEW', 'REJECTED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const REVIEW_DECISIONS = ['APPROVED', 'REJECTED'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface Address {
  street: string;
  city: string;
  state: string;
  zipCode: string;
  country: string;
}

export interface OrderItem {
  productId: string;
  name: string;
  quantity: number;
  /** Unit price in dollars as sent by the client (at most 2 decimals, validated). */
  price: number;
  category?: string;
}

/** A validated order request: what passed SPEC section 2 validation, nothing else. */
export interface OrderRequest {
  orderId: string;
  customerId: string;
  customerEmail: string;
  customerType: CustomerType;
  orderHistory?: number;
  items: OrderItem[];
  totalAmount: number;
  shippingAddress: Address;
  billingAddress?: Address;
  paymentMethod: PaymentMethod;
  cardLast4?: string;
  poNumber?: string;
  /** ISO-8601 timestamp with offset, when the client placed the order. */
  placedAt?: string;
}

/** One explainable piece of evidence. Negative points lower the score (riskier), positive raise it. */
export interface RiskSignal {
  code: string;
  points: number;
  reason: string;
}

export type ScreeningEngine = 'rules' | 'ai';

export interface ScreeningInfo {
  engine: ScreeningEngine;
  /** `none` when no AI provider is configured. */
  aiProvider: string;
  model: string | null;
  /** Why the AI answer was not used (timeout, error, throttled, unparsable, disabled), or null. */
  fallback: string | null;
}

/** What the fraud screening decided for an order. */
export interface ScreeningOutcome {
  status: OrderStatus;
  /** 0-10, higher = safer, one decimal. */
  score: number;
  signals: RiskSignal[];
  /** Human-readable reasons for REJECTED and PENDING_REVIEW, empty for APPROVED. */
  rejectionReasons: string[];
  screening: ScreeningInfo;
  ai: AiUsage | null;
}

/** Token usage as reported by the AI provider (never estimated). */
export interface AiUsage {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

/** Per-service processing cost of one order, integer nano-dollars. */
export interface CostBreakdown {
  bedrock: number;
  lambda: number;
  dynamodb: number;
  s3: number;
  sns: number;
  apiGateway: number;
  cloudwatch: number;
  total: number;
}

export interface DecisionRecord {
  status: OrderStatus;
  /** `screening` for the automatic decision, `review` for a human one. */
  source: 'screening' | 'review';
  at: string;
  reviewer?: string;
  note?: string;
}

export interface ReviewRecord {
  orderId: string;
  decision: ReviewDecision;
  reviewer: string;
  note?: string;
  reviewedAt: string;
  previousStatus: OrderStatus;
}

/** The order as stored: the request, the outcome, its cost and the exact response that was sent. */
export interface StoredOrder {
  orderId: string;
  customerId: string;
  customerEmail: string;
  status: OrderStatus;
  score: number;
  totalAmountCents: number;
  /** UTC day the order was recorded (yyyy-mm-dd): the rollup day. */
  day: string;
  createdAt: string;
  updatedAt: string;
  /** sha-256 of the canonical request body: the idempotency fingerprint. */
  requestHash: string;
  request: OrderRequest;
  signals: RiskSignal[];
  rejectionReasons: string[];
  screening: ScreeningInfo;
  costNanos: CostBreakdown;
  usage: OrderUsage;
  /** The 200 body returned when the order was first screened, replayed verbatim. */
  response: OrderResponseBody;
  decisions: DecisionRecord[];
}

export interface CostMetricsBody {
  bedrockTokensUsed: number;
  bedrockCost: number;
  lambdaCost: number;
  dynamodbCost: number;
  s3Cost: number;
  snsCost: number;
  apiGatewayCost: number;
  cloudwatchCost: number;
  totalProcessingCost: number;
}

/** The 200 body of POST /orders (SPEC section 2; seed field names kept). */
export interface OrderResponseBody {
  orderId: string;
  status: OrderStatus;
  aiScore: number;
  message: string;
  rejectionReasons: string[];
  riskSignals: RiskSignal[];
  screening: ScreeningInfo;
  costMetrics: CostMetricsBody;
  timestamp: string;
}

/** Converts a validated dollar amount (at most 2 decimals) to integer cents. */
export function dollarsToCents(amount: number): number {
  return Math.round(amount * 100);
}

/** UTC calendar day (yyyy-mm-dd) of an ISO timestamp or Date. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
