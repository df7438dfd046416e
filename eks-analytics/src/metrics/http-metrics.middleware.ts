import { Injectable } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, Registry } from 'prom-client';

/** The route label of requests no route answered (404s, probes of random paths): one series, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Seconds; the analytics answers from rollups in milliseconds, so the low end is fine-grained. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What express adds to a request once a route (or a mounted middleware) takes it. */
export type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/**
 * The route pattern (`/api/orders/:orderId`), never the raw URL, so the label's cardinality is the
 * number of routes. A request answered by a mounted middleware (static files) is labelled with its
 * mount path. Nest mounts module middleware (the request logger) as a catch-all route (`{/*splat}`),
 * which stays express's `req.route` when no real route matched: such a 404 is UNMATCHED_ROUTE.
 */
export function routeLabel(request: RoutedRequest, statusCode: number): string {
  const pattern = request.route?.path;
  const base = request.baseUrl ?? '';
  if (typeof pattern === 'string' && !(statusCode === 404 && pattern.includes('*'))) return `${base}${pattern}` || '/';
  return base === '' ? UNMATCHED_ROUTE : base;
}

/**
 * `http_request_duration_seconds{method, route, status_code}` for every request. Installed ahead of
 * every other handler by createAnalyticsApp (app.use), so Swagger, static files and 404s count too.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware<RoutedRequest, ServerResponse> {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: BUCKETS,
      registers: [registry],
    });
  }

  use(request: RoutedRequest, response: ServerResponse, next: (error?: unknown) => void): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.duration.observe({ method: request.method ?? 'UNKNOWN', route: routeLabel(request, response.statusCode), status_code: String(response.statusCode) }, seconds);
    });
    next();
  }
}
