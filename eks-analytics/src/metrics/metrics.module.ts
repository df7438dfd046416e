import { Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ClockModule } from '../common/clock.js';
import { BusinessMetricsService } from './business-metrics.service.js';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';
import { MetricsController } from './metrics.controller.js';

/**
 * `GET /metrics`: this application's own prom-client Registry (never the global one, so several
 * applications in one process, as in tests, do not share series) with the default process metrics,
 * the HTTP latency histogram and the business gauges.
 */
@Module({
  imports: [ClockModule],
  controllers: [MetricsController],
  providers: [
    {
      provide: Registry,
      useFactory: (): Registry => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    HttpMetricsMiddleware,
    BusinessMetricsService,
  ],
  exports: [Registry, HttpMetricsMiddleware],
})
export class MetricsModule {}
