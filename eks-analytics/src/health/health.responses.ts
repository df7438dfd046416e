import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { HealthCheckStatus, HealthIndicatorStatus } from '@nestjs/terminus';

/** One health indicator's state, as terminus reports it. */
export class HealthIndicatorDto {
  @ApiProperty({ enum: ['up', 'degraded', 'down'], example: 'up' })
  status!: HealthIndicatorStatus;

  @ApiPropertyOptional({ description: 'Why the indicator is down', example: 'Order store unavailable (ping)' })
  message?: string;
}

const INDICATORS = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(HealthIndicatorDto) },
} as const;

/** The terminus health check body (`info` for indicators up, `error` for those down, `details` for all). */
export class HealthCheckResponseDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'error', 'shutting_down'], example: 'ok' })
  status!: HealthCheckStatus;

  @ApiProperty({ ...INDICATORS, example: { store: { status: 'up' } } })
  info!: Record<string, HealthIndicatorDto>;

  @ApiProperty({ ...INDICATORS, example: {} })
  error!: Record<string, HealthIndicatorDto>;

  @ApiProperty({ ...INDICATORS, example: { store: { status: 'up' } } })
  details!: Record<string, HealthIndicatorDto>;
}

/** Spring Boot actuator's health body, for the original system's clients and load balancers. */
export class ActuatorHealthDto {
  @ApiProperty({ enum: ['UP', 'DOWN'], example: 'UP' })
  status!: 'UP' | 'DOWN';
}
