import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { loadConfig } from '@orderops/lambda-order-processor/config';
import { FocusFileCostSource } from '../adapters/focus-file/focus-file-cost-source.js';
import { UnavailableCostSource } from '../adapters/unavailable-cost-source/unavailable-cost-source.js';
import { ClockModule } from '../common/clock.js';
import { analyticsConfig } from '../config/analytics-config.js';
import { COST_SOURCE, type CostSource } from '../ports/cost-source.js';
import { FinopsController } from './finops.controller.js';
import { FinopsService } from './finops.service.js';
import { LAMBDA_MEMORY_MB } from './finops.tokens.js';

/** Chooses the actual-cost source from configuration (COST_SOURCE): a FOCUS/CUR export file, or none. */
function costSourceFor(config: ConfigService): CostSource {
  const { costSource, costExportFile } = analyticsConfig(config);
  if (costSource === 'focus-file' && costExportFile) return new FocusFileCostSource(costExportFile);
  return new UnavailableCostSource();
}

@Module({
  imports: [ClockModule],
  controllers: [FinopsController],
  providers: [
    FinopsService,
    { provide: COST_SOURCE, inject: [ConfigService], useFactory: costSourceFor },
    // The deployment profile the order API prices orders with (LAMBDA_MEMORY_MB), read the same way it does.
    { provide: LAMBDA_MEMORY_MB, useFactory: () => loadConfig(process.env).deployment.lambdaMemoryMb },
  ],
})
export class FinopsModule {}
