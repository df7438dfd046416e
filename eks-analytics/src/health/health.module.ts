import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ActuatorController } from './actuator.controller.js';
import { HealthController } from './health.controller.js';
import { StoreHealthIndicator } from './store.health.js';

/** Liveness, readiness (order store reachable) and the actuator endpoint of the original system. */
@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [HealthController, ActuatorController],
  providers: [StoreHealthIndicator],
})
export class HealthModule {}
