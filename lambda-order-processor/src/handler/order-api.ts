import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler, { type Route } from '@middy/http-router';
import { jsonContentTypePattern } from '@middy/util';
import type { MiddlewareObj, Request } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../domain/validation/limits.js';
import { validateOrderId } from '../domain/validation/validate.js';
import type { OrderStore } from '../ports/order-store.js';
import { StoreUnavailableError } from '../ports/order-store.js';
import type { OrderReviewService } from '../services/order-review.js';
import type { OrderSubmissionService } from '../services/order-submission.js';
import type { OrderQueryService } from '../services/order-query.js';
import { startTiming, type RequestTiming } from '../services/request-metering.js';
import {
  emitRequestMetrics,
  METRICS_NAMESPACE,
  recordReplay,
  recordReview,
  recordScreenedOrder,
  recordValidationError,
  type EmfSink,
} from './order-metrics.js';
import { json, problem, validationError, type HttpResult } from './responses.js';

/** Seconds a client should wait before retrying when the store is unavailable. */
export const STORE_RETRY_AFTER_SECONDS = 5;

export type HttpEvent = APIGatewayProxyEventV2;

export interface OrderApiDependencies {
  submission: OrderSubmissionService;
  review: OrderReviewService;
  query: OrderQueryService;
  store: OrderStore;
  logger: Logger;
  /** Called after an order or review was recorded (the embedded outbox drains right away). */
  onRecorded?: () => void;
  /** The wall clock orders are stamped with (tests and back-fills set it; the system clock otherwise). */
  now?: () => Date;
  /** Where the EMF metrics go: standard output (the default, as in Lambda) or a sink (tests). */
  metricsSink?: EmfSink;
  /** The `service` dimension of the metrics. */
  serviceName?: string;
}

// The timing starts before any middleware runs; routes and error accounting read it by event.
const timings = new WeakMap<object, RequestTiming>();
function timingOf(event: object): RequestTiming {
  const timing = timings.get(event);
  if (!timing) throw new Error('request timing missing: the timing middleware must run first');
  return timing;
}

/**
 * Every log line of a request about one order carries its id (Powertools temporary key; the
 * injectLambdaContext middleware resets it after the request). Only ids that pass validation are
 * added, so a hostile body cannot put arbitrary text into the logs' key space.
 */
function tagLogsWithOrderId(logger: Logger, orderId: unknown): void {
  if (typeof orderId === 'string' && validateOrderId(orderId).length === 0) logger.appendKeys({ orderId });
}

/** Refuses oversize bodies before JSON parsing (API Gateway would pass up to 10 MB). */
function bodySizeLimit(maxBytes: number): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    before: (request) => {
      const { body, isBase64Encoded } = request.event;
      if (body === undefined) return;
      const bytes = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
      if (bytes > maxBytes) {
        throw Object.assign(new Error(`Request body is ${bytes} bytes; the limit is ${maxBytes}`), { statusCode: 413, expose: true });
      }
    },
  };
}

/** Text that could name a key Middy's parser forbids: the key itself, or any \u escape that might spell it. */
const MAY_HOLD_FORBIDDEN_KEY = /__proto__|constructor|\\u/;

/**
 * Middy's JSON body parser with a fast path (issue 6 profile: its reviver, which checks every key for
 * __proto__ and constructor, was 4% of the order API's main thread). A JSON body whose text cannot
 * spell a forbidden key is parsed without the reviver; every other body, and any body that fails to
 * parse, goes through Middy's parser unchanged, so the answers (415, 422 and their messages) are its own.
 */
function jsonBodyParser(): MiddlewareObj<HttpEvent, HttpResult> {
  const middyParser = httpJsonBodyParser<HttpEvent>();
  return {
    before: (request) => {
      const { body, isBase64Encoded, headers } = request.event;
      if (typeof body === 'string' && !isBase64Encoded && jsonContentTypePattern.test(headers['content-type'] ?? '') && !MAY_HOLD_FORBIDDEN_KEY.test(body)) {
        try {
          (request.event as { body: unknown }).body = JSON.parse(body);
          return;
        } catch {
          // Middy's parser below parses it again and answers the 422 itself.
        }
      }
      return middyParser.before?.(request);
    },
  };
}

/** A POST /orders refused before screening still cost something: count and price it. */
function accountRefusedSubmissions(submission: OrderSubmissionService, logger: Logger): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const status = (request.error as { statusCode?: number } | null)?.statusCode;
      if (status === undefined || status < 400 || status >= 500) return;
      recordValidationError(request.event);
      try {
        await submission.recordRejectedRequest(timingOf(request.event));
      } catch (error) {
        logger.warn('could not count a refused order request', { error: String(error) });
      }
    },
  };
}

interface HttpError {
  statusCode?: number;
  message?: string;
  expose?: boolean;
}

/**
 * Turns every failure into a JSON answer (SPEC section 2): parse and media-type errors from the
 * Middy parsers, store outages (503 + Retry-After). Anything unknown is left to http-error-handler,
 * which answers a generic 500 without internals.
 */
function jsonErrors(logger: Logger): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: (request: Request<HttpEvent, HttpResult>) => {
      if (request.response !== undefined) return;
      const error = request.error as (Error & HttpError) | null;
      if (error instanceof StoreUnavailableError) {
        logger.error('store unavailable', { error: error.message });
        request.response = problem(503, 'SERVICE_UNAVAILABLE', 'The order store is temporarily unavailable; retry later', {
          'Retry-After': String(STORE_RETRY_AFTER_SECONDS),
        });
        return;
      }
      const status = error?.statusCode;
      if (status === undefined || status >= 500) return;
      request.response = clientErrorResponse(status, error?.message ?? '');
    },
  };
}

function clientErrorResponse(status: number, message: string): HttpResult {
  switch (status) {
    case 413:
      return problem(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    case 415:
      return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    case 422: // Middy's parser: malformed JSON or a forbidden key such as __proto__
      return validationError(
        [{ field: 'body', message: message.startsWith('Forbidden key') ? 'contains a forbidden key (__proto__, constructor or prototype)' : 'is not valid JSON' }],
        'Request body could not be parsed',
      );
    case 404:
      return problem(404, 'NOT_FOUND', 'No such route');
    case 405:
      return problem(405, 'METHOD_NOT_ALLOWED', message || 'Method not allowed');
    default:
      return problem(status, 'BAD_REQUEST', message || 'Bad request');
  }
}

function orderIdParameter(event: HttpEvent): string {
  return event.pathParameters?.orderId ?? '';
}

/**
 * The order API (SPEC section 2) as one Middy handler: router, header normalisation, CORS,
 * Powertools logging and JSON errors. Every route delegates to an injected service.
 */
export function createOrderApi(deps: OrderApiDependencies): middy.MiddyfiedHandler<HttpEvent, HttpResult, Error, Context> {
  const { submission, review, query, store, logger } = deps;
  const now = deps.now ?? (() => new Date());

  const submitOrder = middy<HttpEvent, HttpResult>()
    .use(accountRefusedSubmissions(submission, logger))
    .use(bodySizeLimit(MAX_BODY_BYTES))
    .use(jsonBodyParser())
    .handler(async (event) => {
      const body = event.body as unknown;
      if (typeof body === 'object' && body !== null) tagLogsWithOrderId(logger, (body as { orderId?: unknown }).orderId);
      const result = await submission.submit(body, timingOf(event));
      switch (result.kind) {
        case 'invalid':
          logger.info('order refused by validation', { errors: result.errors.length });
          recordValidationError(event);
          return validationError(result.errors);
        case 'conflict':
          return problem(409, 'CONFLICT', `Order ${result.orderId} was already submitted with a different body`);
        case 'replayed':
          recordReplay(event);
          return json(200, result.response, { 'Idempotent-Replay': 'true' });
        case 'screened':
          logger.info('order screened', { ...result.logLine });
          recordScreenedOrder(event, result.response);
          deps.onRecorded?.();
          return json(200, result.response);
      }
    });

  const reviewOrder = middy<HttpEvent, HttpResult>()
    .use(bodySizeLimit(MAX_BODY_BYTES))
    .use(jsonBodyParser())
    .handler(async (event) => {
      const orderId = orderIdParameter(event);
      const idErrors = validateOrderId(orderId);
      if (idErrors.length > 0) return validationError(idErrors, 'Invalid order id');
      tagLogsWithOrderId(logger, orderId);
      const result = await review.review(orderId, event.body as unknown, timingOf(event));
      switch (result.kind) {
        case 'invalid':
          return validationError(result.errors, 'Review validation failed');
        case 'not_found':
          return problem(404, 'NOT_FOUND', `Order ${orderId} not found`);
        case 'not_pending':
          return problem(409, 'CONFLICT', `Order ${orderId} is ${result.status}, not PENDING_REVIEW`);
        case 'reviewed':
          logger.info('order reviewed', { orderId, decision: result.review.decision });
          recordReview(event, result.review.decision);
          deps.onRecorded?.();
          return json(200, query.view(result.order, [result.review]));
      }
    });

  const routes: Route<HttpEvent, HttpResult>[] = [
    { method: 'POST', path: '/orders', handler: submitOrder },
    {
      method: 'GET',
      path: '/orders/{orderId}',
      handler: async (event: HttpEvent) => {
        const orderId = orderIdParameter(event);
        const idErrors = validateOrderId(orderId);
        if (idErrors.length > 0) return validationError(idErrors, 'Invalid order id');
        tagLogsWithOrderId(logger, orderId);
        const view = await query.get(orderId);
        return view ? json(200, view) : problem(404, 'NOT_FOUND', `Order ${orderId} not found`);
      },
    },
    { method: 'POST', path: '/orders/{orderId}/review', handler: reviewOrder },
    {
      method: 'GET',
      path: '/health',
      handler: async () => {
        await store.ping();
        return json(200, { status: 'UP', store: 'UP' });
      },
    },
  ];

  return middy<HttpEvent, HttpResult, Error, Context>()
    .use({ before: (request) => void timings.set(request.event, startTiming(now())) })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(emitRequestMetrics({ namespace: METRICS_NAMESPACE, serviceName: deps.serviceName ?? 'order-processor', ...(deps.metricsSink ? { sink: deps.metricsSink } : {}) }))
    .use(httpHeaderNormalizer())
    .use(httpCors({ origins: ['*'], exposeHeaders: 'Idempotent-Replay,Retry-After' }))
    .use(
      httpErrorHandler({
        logger: (error: unknown) => logger.error('unhandled error', { error: error instanceof Error ? error.stack : String(error) }),
        fallbackMessage: JSON.stringify({ status: 'INTERNAL_ERROR', message: 'Internal error' }),
      }),
    )
    .use(jsonErrors(logger))
    .handler(httpRouterHandler<HttpEvent, HttpResult>({ routes }));
}
