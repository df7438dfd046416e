import { ValidationPipe } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { AppModule, withOverrides, type ConfigOverrides } from './app.module.js';
import { validate } from './config/analytics-config.js';
import { HttpMetricsMiddleware, type RoutedRequest } from './metrics/http-metrics.middleware.js';

/** Where the OpenAPI UI is served; the JSON document is at `/docs-json`. */
export const DOCS_PATH = 'docs';

/** The package version (from dist/ and from src/ alike, package.json is one folder up). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

/**
 * Everything an application needs besides its modules: the structured logger, the HTTP latency
 * middleware (first, so every request is measured), the global ValidationPipe for query DTOs, and
 * the OpenAPI document. Shared by main.ts and the tests.
 */
export function configureAnalyticsApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  const httpMetrics = app.get(HttpMetricsMiddleware);
  app.use((request: RoutedRequest, response: ServerResponse, next: (error?: unknown) => void) => httpMetrics.use(request, response, next));
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));

  const document = new DocumentBuilder()
    .setTitle('OrderOps analytics')
    .setDescription(
      'FinOps analytics over the order store: estimated processing costs from the daily rollups, actual costs, forecast and report, ' +
        'the review queue, health and Prometheus metrics. Dates are YYYY-MM-DD UTC days, both ends inclusive.',
    )
    .setVersion(packageVersion())
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, document), { jsonDocumentUrl: `${DOCS_PATH}-json` });
}

/**
 * Builds (does not start) the analytics application. `configOverrides` take precedence over the
 * process environment. Rejects with a message naming the variable when the configuration is invalid.
 */
export async function createAnalyticsApp(configOverrides: ConfigOverrides = {}): Promise<NestExpressApplication> {
  // A bad configuration is refused before Nest starts: one clear error, nothing half-started.
  // (ConfigModule validates the same environment again while the application is built.)
  validate(withOverrides(process.env, configOverrides));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(configOverrides), {
    bufferLogs: true,
    // Fail with the error instead of process.abort(): start-up errors must reach the caller.
    abortOnError: false,
  });
  configureAnalyticsApp(app);
  return app;
}

/** The URL clients reach a server on: a wildcard host is reached on the loopback address. */
export function listeningUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
