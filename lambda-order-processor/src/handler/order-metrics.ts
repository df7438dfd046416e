import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { OrderResponseBody, ReviewDecision } from '../domain/order/order.js';

/**
 * The CloudWatch metrics the order API emits, as Embedded Metric Format lines in its logs (Powertools
 * Metrics): no PutMetricData call on the order path. The names live here only; the CloudWatch
 * dashboard and alarms are built on them.
 */
export const METRICS_NAMESPACE = 'OrderOps';
export const METRIC = {
  ordersProcessed: 'OrdersProcessed',
  fraudScore: 'FraudScore',
  processingCost: 'ProcessingCostDollars',
  aiCalls: 'AiCalls',
  aiFallbacks: 'AiFallbacks',
  aiTokens: 'AiTokens',
  validationErrors: 'ValidationErrors',
  idempotentReplays: 'IdempotentReplays',
  reviewDecisions: 'ReviewDecisions',
} as const;
/** Dimension names (besides Powertools' own `service`). */
export const METRIC_DIMENSION = { status: 'status', decision: 'decision' } as const;

/** Where a request's metrics go: standard output as EMF (Lambda's log stream), or a sink given the EMF document. */
export type EmfSink = (document: unknown) => void;

export interface RequestMetricsOptions {
  namespace: string;
  serviceName: string;
  sink?: EmfSink;
}

// A request's own Metrics buffer: Lambda runs one invocation at a time per environment, but the local
// server runs many at once, and a shared buffer would mix their metrics and dimensions.
const requestMetrics = new WeakMap<object, Metrics>();
/**
 * Finished buffers are reused (issue 6 profile): constructing a Metrics per request (it creates a
 * Console and reads a dozen environment variables) was 7% of the order API's main thread at saturation.
 * A buffer returns to the pool emptied (metrics, dimensions, metadata), so reuse cannot leak a value.
 */
const MAX_POOLED_BUFFERS = 256;

/** Opens a Metrics buffer per request and flushes it as one EMF line when the request ends, answered or failed. */
export function emitRequestMetrics(options: RequestMetricsOptions): MiddlewareObj {
  const pool: Metrics[] = [];
  const release = (metrics: Metrics): void => {
    metrics.clearMetrics();
    metrics.clearDimensions();
    metrics.clearMetadata();
    if (pool.length < MAX_POOLED_BUFFERS) pool.push(metrics);
  };
  const flush = (event: object): void => {
    const metrics = requestMetrics.get(event);
    if (!metrics) return;
    requestMetrics.delete(event);
    try {
      if (!metrics.hasStoredMetrics()) return;
      if (options.sink) options.sink(metrics.serializeMetrics());
      else metrics.publishStoredMetrics();
    } finally {
      release(metrics);
    }
  };
  return {
    before: (request) => {
      const metrics = pool.pop() ?? new Metrics({ namespace: options.namespace, serviceName: options.serviceName });
      requestMetrics.set(request.event as object, metrics);
    },
    after: (request) => flush(request.event as object),
    onError: (request) => flush(request.event as object),
  };
}

function metricsOf(event: object): Metrics | undefined {
  return requestMetrics.get(event);
}

export function recordScreenedOrder(event: object, response: OrderResponseBody): void {
  const metrics = metricsOf(event);
  if (!metrics) return;
  metrics.addDimension(METRIC_DIMENSION.status, response.status);
  metrics.addMetric(METRIC.ordersProcessed, MetricUnit.Count, 1);
  metrics.addMetric(METRIC.fraudScore, MetricUnit.NoUnit, response.aiScore);
  metrics.addMetric(METRIC.processingCost, MetricUnit.NoUnit, response.costMetrics.totalProcessingCost);
  const { screening } = response;
  if (screening.engine === 'ai' || screening.fallback !== null) metrics.addMetric(METRIC.aiCalls, MetricUnit.Count, 1);
  if (screening.fallback !== null) metrics.addMetric(METRIC.aiFallbacks, MetricUnit.Count, 1);
  if (response.costMetrics.bedrockTokensUsed > 0) metrics.addMetric(METRIC.aiTokens, MetricUnit.Count, response.costMetrics.bedrockTokensUsed);
}

export function recordValidationError(event: object): void {
  metricsOf(event)?.addMetric(METRIC.validationErrors, MetricUnit.Count, 1);
}

export function recordReplay(event: object): void {
  metricsOf(event)?.addMetric(METRIC.idempotentReplays, MetricUnit.Count, 1);
}

export function recordReview(event: object, decision: ReviewDecision): void {
  const metrics = metricsOf(event);
  if (!metrics) return;
  metrics.addDimension(METRIC_DIMENSION.decision, decision);
  metrics.addMetric(METRIC.reviewDecisions, MetricUnit.Count, 1);
}
