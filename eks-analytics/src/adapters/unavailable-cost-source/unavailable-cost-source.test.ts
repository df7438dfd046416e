import { UnavailableCostSource } from './unavailable-cost-source.js';

describe('UnavailableCostSource', () => {
  it('answers unavailable with every cost null and the reason', async () => {
    const costs = await new UnavailableCostSource().actualCosts({ startDate: '2026-03-01', endDate: '2026-03-07', days: 7 });
    expect(costs).toEqual({
      source: 'unavailable',
      currency: 'USD',
      startDate: '2026-03-01',
      endDate: '2026-03-07',
      actualLambdaCost: null,
      actualBedrockCost: null,
      actualDynamoDbCost: null,
      actualS3Cost: null,
      actualSnsCost: null,
      actualApiGatewayCost: null,
      actualCloudWatchCost: null,
      actualOtherCost: null,
      actualTotalCost: null,
      byService: {},
      reason: 'no cost source configured (set COST_SOURCE=focus-file and COST_EXPORT_FILE)',
    });
  });

  it('can carry another reason (e.g. a source that failed to start)', async () => {
    const costs = await new UnavailableCostSource('Cost Explorer is not reachable').actualCosts({ startDate: '2026-03-01', endDate: '2026-03-01', days: 1 });
    expect(costs.reason).toBe('Cost Explorer is not reachable');
    expect(costs.actualTotalCost).toBeNull();
  });
});
