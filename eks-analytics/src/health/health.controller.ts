import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { HealthCheckResponseDto, HealthIndicatorDto } from './health.responses.js';
import { StoreHealthIndicator } from './store.health.js';

/** The key of the store indicator in readiness answers. */
export const STORE_INDICATOR = 'store';

@ApiTags('health')
@ApiExtraModels(HealthIndicatorDto)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly store: StoreHealthIndicator,
  ) {}

  /** Liveness: the process runs and serves HTTP. Never depends on the store (a store outage must not restart pods). */
  @Get()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @ApiOkResponse({ type: HealthCheckResponseDto, description: 'The process is alive' })
  live(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  /** Readiness: the order store answers. 503 with the terminus error body otherwise. */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: 200 when the order store answers, else 503' })
  @ApiOkResponse({ type: HealthCheckResponseDto, description: 'Ready to serve analytics' })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponseDto, description: 'The order store does not answer (or the service is shutting down)' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.store.isHealthy(STORE_INDICATOR)]);
  }
}
