import { Controller, Get, Header, HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService } from '@nestjs/terminus';
import { STORE_INDICATOR } from './health.controller.js';
import { ActuatorHealthDto } from './health.responses.js';
import { StoreHealthIndicator } from './store.health.js';

/** `GET /actuator/health` as the original (Spring Boot) service answered it: the same readiness, its body shape. */
@ApiTags('health')
@Controller('actuator')
export class ActuatorController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly store: StoreHealthIndicator,
  ) {}

  @Get('health')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOperation({ summary: 'Spring Boot actuator health, for the original system clients' })
  @ApiOkResponse({ type: ActuatorHealthDto, description: '`{"status":"UP"}` when ready' })
  @ApiServiceUnavailableResponse({ type: ActuatorHealthDto, description: '`{"status":"DOWN"}` when the order store does not answer' })
  async status(): Promise<ActuatorHealthDto> {
    try {
      await this.health.check([() => this.store.isHealthy(STORE_INDICATOR)]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        throw new HttpException({ status: 'DOWN' } satisfies ActuatorHealthDto, HttpStatus.SERVICE_UNAVAILABLE);
      }
      throw error;
    }
    return { status: 'UP' };
  }
}
