import type { DateRange } from '../../domain/date-range.js';
import { unavailableCosts } from '../../ports/cost-source.js';
import type { ActualCosts, CostSource } from '../../ports/cost-source.js';

export const NO_COST_SOURCE_REASON = 'no cost source configured (set COST_SOURCE=focus-file and COST_EXPORT_FILE)';

/** The cost source when none is configured: says so, with every cost null (never a made-up zero). */
export class UnavailableCostSource implements CostSource {
  constructor(private readonly reason: string = NO_COST_SOURCE_REASON) {}

  actualCosts(range: DateRange): Promise<ActualCosts> {
    return Promise.resolve(unavailableCosts(range, this.reason));
  }
}
