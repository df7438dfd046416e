import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { BusinessMetricsService } from './business-metrics.service.js';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: Registry,
    private readonly business: BusinessMetricsService,
  ) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Process metrics, `http_request_duration_seconds{method,route,status_code}`, and business gauges computed from the daily rollups at scrape time: ' +
      '`orderops_orders{status}` (today), `orderops_orders_last_7_days{status}`, `orderops_cost_per_order_dollars` (last 7 days), ' +
      '`orderops_processing_cost_dollars_last_7_days{service}`, `orderops_review_queue_orders` (pending review, last 30 days), `orderops_store_up`.',
  })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string', example: 'orderops_orders{status="APPROVED"} 12\n' } })
  async metrics(): Promise<string> {
    const [standard, business] = await Promise.all([this.registry.metrics(), this.business.render()]);
    return `${standard.trimEnd()}\n${business.trimEnd()}\n`;
  }
}
