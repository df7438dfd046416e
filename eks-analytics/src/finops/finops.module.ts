import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { loadConfig } from '@orderops/lambda-order-processor/config';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { CostExplorerCostSource } from '../adapters/cost-explorer/cost-explorer-cost-source.js';
import { FocusFileCostSource } from '../adapters/focus-file/focus-file-cost-source.js';
import { UnavailableCostSource } from '../adapters/unavailable-cost-source/unavailable-cost-source.js';
import { CLOCK, ClockModule, type Clock } from '../common/clock.js';
import { analyticsConfig } from '../config/analytics-config.js';
import { COST_SOURCE, type CostSource } from '../ports/cost-source.js';
import { FinopsController } from './finops.controller.js';
import { FinopsService } from './finops.service.js';
import { LAMBDA_MEMORY_MB } from './finops.tokens.js';

/** Chooses the actual-cost source from configuration (COST_SOURCE): a FOCUS/CUR export file, Cost Explorer, or none. */
function costSourceFor(config: ConfigService, clock: Clock): CostSource {
  const { costSource, costExportFile, costExplorer } = analyticsConfig(config);
  if (costSource === 'focus-file' && costExportFile) return new FocusFileCostSource(costExportFile);
  if (costSource === 'cost-explorer' && costExplorer) {
    // Credentials from the default chain (IRSA on EKS); the endpoint only when overridden.
    const client = new CostExplorerClient({ region: costExplorer.region, ...(costExplorer.endpoint === null ? {} : { endpoint: costExplorer.endpoint }) });
    return new CostExplorerCostSource(client, {
      tagKey: costExplorer.tagKey,
      tagValue: costExplorer.tagValue,
      metric: costExplorer.metric,
      cacheTtlSeconds: costExplorer.cacheTtlSeconds,
      now: clock,
    });
  }
  return new UnavailableCostSource();
}

@Module({
  imports: [ClockModule],
  controllers: [FinopsController],
  providers: [
    FinopsService,
    { provide: COST_SOURCE, inject: [ConfigService, CLOCK], useFactory: costSourceFor },
    // The deployment profile the order API prices orders with (LAMBDA_MEMORY_MB), read the same way it does.
    { provide: LAMBDA_MEMORY_MB, useFactory: () => loadConfig(process.env).deployment.lambdaMemoryMb },
  ],
})
export class FinopsModule {}
