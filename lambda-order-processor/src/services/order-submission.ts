import { zeroCost } from '../domain/costs/breakdown.js';
import { computeOrderCost, billedDurationMs, costMetricsBody } from '../domain/costs/cost-model.js';
import type { DeploymentProfile, OrderUsage, RequestUnits } from '../domain/costs/usage.js';
import { orderEvent } from '../domain/events/order-event.js';
import { profileDeltaForNewOrder } from '../domain/order/customer.js';
import { requestFingerprint } from '../domain/order/fingerprint.js';
import {
  dollarsToCents,
  utcDay,
  type CostBreakdown,
  type OrderRequest,
  type OrderResponseBody,
  type OrderStatus,
  type ScreeningOutcome,
  type StoredOrder,
} from '../domain/order/order.js';
import { rollupForScreenedOrder, rollupForValidationFailure } from '../domain/order/rollup.js';
import { velocityKeysFor, type VelocityKeys, type VelocityWindows } from '../domain/order/velocity.js';
import type { ScreeningSettings } from '../domain/signals/signal.js';
import { validateOrderBody, type FieldError } from '../domain/validation/validate.js';
import type { OrderStore, RecordOrderInput } from '../ports/order-store.js';
import type { OrderScreener } from './order-screener.js';
import { addUnits, elapsedMs, logBytesFor, type RequestTiming } from './request-metering.js';

export type SubmissionResult =
  | { kind: 'screened'; response: OrderResponseBody; logLine: SubmissionLogLine }
  | { kind: 'replayed'; response: OrderResponseBody }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'conflict'; orderId: string };

/** The one structured line logged per screened order (its bytes are part of the order's cost). */
export interface SubmissionLogLine {
  orderId: string;
  status: OrderStatus;
  aiScore: number;
  signals: string[];
  engine: string;
}

export interface OrderSubmissionDependencies {
  store: OrderStore;
  screener: OrderScreener;
  settings: ScreeningSettings;
  velocityWindows: VelocityWindows;
  deployment: DeploymentProfile;
}

const STATUS_MESSAGES: Record<OrderStatus, string> = {
  APPROVED: 'Order approved',
  PENDING_REVIEW: 'Order held for manual review',
  REJECTED: 'Order rejected: high fraud risk',
};

/** Archive PUT and notification each order event causes (one event per screened order). */
const EVENT_SIDE_EFFECTS = { archivePuts: 1, notifications: 1 } as const;

/**
 * POST /orders: validate, answer replays from the store, screen, price and record atomically.
 * orderId is the idempotency key: the first recorded body wins, the same body replays its answer,
 * a different body is a conflict. Concurrent duplicates race on the store's conditional insert.
 */
export class OrderSubmissionService {
  constructor(private readonly deps: OrderSubmissionDependencies) {}

  async submit(body: unknown, timing: RequestTiming): Promise<SubmissionResult> {
    const validation = validateOrderBody(body, timing.receivedAt);
    if (!validation.ok) {
      await this.recordRejectedRequest(timing);
      return { kind: 'invalid', errors: validation.errors };
    }
    const order = validation.value;
    const fingerprint = requestFingerprint(order);
    const { store } = this.deps;

    const existing = await store.getOrder(order.orderId);
    if (existing.value) return replayOrConflict(existing.value, fingerprint);

    const keys = velocityKeysFor(order);
    const [profile, velocity] = await Promise.all([
      store.getCustomerProfile(order.customerId),
      store.getVelocity({ keys, now: timing.receivedAt.toISOString(), windows: this.deps.velocityWindows }),
    ]);
    const outcome = await this.deps.screener.screen({
      order,
      profile: profile.value,
      velocity: velocity.value,
      receivedAt: timing.receivedAt,
      settings: this.deps.settings,
    });

    const readUnits = addUnits(existing.units, profile.units, velocity.units);
    const { input, logLine } = this.buildRecord(order, fingerprint, outcome, keys, timing, readUnits);
    const result = await store.recordOrder(input);
    if (result.outcome === 'exists') return replayOrConflict(result.existing, fingerprint);
    return { kind: 'screened', response: input.order.response, logLine };
  }

  /**
   * Counts and prices a request that was refused before screening (invalid body, wrong media type,
   * oversize): it was processed, so it cost something. Accounting never changes the client's answer.
   */
  async recordRejectedRequest(timing: RequestTiming): Promise<void> {
    const day = utcDay(timing.receivedAt);
    const draft = rollupForValidationFailure(day, zeroCost(), 0);
    const units = this.deps.store.estimateWriteUnits({ kind: 'validation-failure', rollup: draft });
    const usage = this.usage(timing, units, { archivePuts: 0, notifications: 0 }, [{ rejected: true }], null);
    const cost = computeOrderCost(usage);
    await this.deps.store.recordValidationFailure(
      rollupForValidationFailure(day, cost, billedDurationMs(usage.handlerDurationMs)),
    );
  }

  private buildRecord(
    request: OrderRequest,
    fingerprint: string,
    outcome: ScreeningOutcome,
    keys: VelocityKeys,
    timing: RequestTiming,
    readUnits: RequestUnits,
  ): { input: RecordOrderInput; logLine: SubmissionLogLine } {
    const createdAt = timing.receivedAt.toISOString();
    const day = utcDay(timing.receivedAt);
    const amountCents = dollarsToCents(request.totalAmount);
    const logLine: SubmissionLogLine = {
      orderId: request.orderId,
      status: outcome.status,
      aiScore: outcome.score,
      signals: outcome.signals.map((signal) => signal.code),
      engine: outcome.screening.engine,
    };

    const order: StoredOrder = {
      orderId: request.orderId,
      customerId: request.customerId,
      customerEmail: request.customerEmail,
      status: outcome.status,
      score: outcome.score,
      totalAmountCents: amountCents,
      day,
      createdAt,
      updatedAt: createdAt,
      requestHash: fingerprint,
      request,
      signals: outcome.signals,
      rejectionReasons: outcome.rejectionReasons,
      screening: outcome.screening,
      costNanos: zeroCost(),
      usage: this.usage(timing, readUnits, EVENT_SIDE_EFFECTS, [logLine], outcome.ai),
      response: responseBody(request.orderId, outcome, zeroCost(), createdAt),
      decisions: [{ status: outcome.status, source: 'screening', at: createdAt }],
    };
    const input: RecordOrderInput = {
      order,
      rollup: { day, counters: {} },
      profile: profileDeltaForNewOrder(request.customerId, outcome.status, amountCents, createdAt),
      velocity: { ...keys, orderId: request.orderId, at: createdAt },
      events: [],
    };

    // Price the order with the units its own write will consume, then finish the document.
    const writeUnits = this.deps.store.estimateWriteUnits({ kind: 'order', input });
    order.usage = this.usage(timing, addUnits(readUnits, writeUnits), EVENT_SIDE_EFFECTS, [logLine], outcome.ai);
    order.costNanos = computeOrderCost(order.usage);
    order.response = responseBody(request.orderId, outcome, order.costNanos, createdAt);
    input.rollup = rollupForScreenedOrder({
      day,
      status: outcome.status,
      score: outcome.score,
      amountCents,
      cost: order.costNanos,
      billedLambdaMs: billedDurationMs(order.usage.handlerDurationMs),
      aiCalled: outcome.ai !== null || outcome.screening.fallback !== null,
      aiFallback: outcome.screening.fallback !== null,
      aiInputTokens: outcome.ai?.inputTokens ?? 0,
      aiOutputTokens: outcome.ai?.outputTokens ?? 0,
    });
    input.events = [orderEvent('ORDER_SCREENED', order, createdAt)];
    return { input, logLine };
  }

  private usage(
    timing: RequestTiming,
    requestUnits: RequestUnits,
    sideEffects: { archivePuts: number; notifications: number },
    logLines: readonly object[],
    ai: OrderUsage['ai'],
  ): OrderUsage {
    return {
      deployment: this.deps.deployment,
      handlerDurationMs: elapsedMs(timing),
      requestUnits,
      archivePuts: sideEffects.archivePuts,
      notifications: sideEffects.notifications,
      logBytes: logBytesFor(logLines),
      ai,
    };
  }
}

function replayOrConflict(existing: StoredOrder, fingerprint: string): SubmissionResult {
  if (existing.requestHash === fingerprint) return { kind: 'replayed', response: existing.response };
  return { kind: 'conflict', orderId: existing.orderId };
}

function responseBody(
  orderId: string,
  outcome: ScreeningOutcome,
  cost: CostBreakdown,
  timestamp: string,
): OrderResponseBody {
  return {
    orderId,
    status: outcome.status,
    aiScore: outcome.score,
    message: STATUS_MESSAGES[outcome.status],
    rejectionReasons: outcome.rejectionReasons,
    riskSignals: outcome.signals,
    screening: outcome.screening,
    costMetrics: costMetricsBody(cost, outcome.ai),
    timestamp,
  };
}

