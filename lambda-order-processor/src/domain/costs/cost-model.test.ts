import type { AiUsage } from '../order/order.js';
import { assertModelPriced, bedrockPriceIds, billedDurationMs, computeOrderCost, costMetricsBody } from './cost-model.js';
import catalogJson from './price-catalog.json' with { type: 'json' };
import { createPriceCatalog } from './price-catalog.js';
import type { OrderUsage } from './usage.js';

const NOVA_MICRO: AiUsage = { provider: 'bedrock', model: 'amazon.nova-micro-v1:0', inputTokens: 1000, outputTokens: 200 };

/** A screened order on the default deployment: arm64, 512 MB, HTTP API, Nova Micro. */
function screenedUsage(overrides: Partial<OrderUsage> = {}): OrderUsage {
  return {
    deployment: { region: 'us-east-1', lambdaMemoryMb: 512, lambdaArchitecture: 'arm64', apiType: 'HTTP' },
    handlerDurationMs: 3.2,
    requestUnits: { writeUnits: 10, readUnits: 1.5 },
    archivePuts: 1,
    notifications: 1,
    logBytes: 1024,
    ai: NOVA_MICRO,
    ...overrides,
  };
}

describe('billedDurationMs', () => {
  it.each([
    [0, 1],
    [0.2, 1],
    [3.2, 4],
    [4, 4],
    [4.0001, 5],
  ])('bills %d ms as %d ms', (measured, billed) => {
    expect(billedDurationMs(measured)).toBe(billed);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (measured) => {
    expect(() => billedDurationMs(measured)).toThrow('finite non-negative');
  });
});

describe('computeOrderCost (integer nano-dollars, hand-computed)', () => {
  it('prices every service line of a screened order', () => {
    expect(computeOrderCost(screenedUsage())).toEqual({
      // Nova Micro: 1,000 x $0.035/1M = 35,000 + 200 x $0.14/1M = 28,000
      bedrock: 63_000,
      // 3.2 ms -> 4 ms; 0.5 GB x 0.004 s x $0.0000133334 = 26.6668 nanos + 1 x $0.20/1M = 200 -> 226.6668 -> 227
      lambda: 227,
      // 10 WRU x $0.625/1M = 6,250 + 1.5 RRU x $0.125/1M = 187.5 -> 6,437.5, rounded once half up -> 6,438
      dynamodb: 6_438,
      // 1 PUT x $0.005/1K
      s3: 5_000,
      // 1 publish x $0.50/1M
      sns: 500,
      // HTTP API: 1 x $1.00/1M
      apiGateway: 1_000,
      // 1,024 bytes / 2^30 x $0.50 = 476.837158203125 nanos -> 477
      cloudwatch: 477,
      // 63,000 + 227 + 6,438 + 5,000 + 500 + 1,000 + 477
      total: 76_642,
    });
  });

  it('prices Lambda by architecture: x86_64 costs more for the same usage', () => {
    const x86 = screenedUsage({ deployment: { region: 'us-east-1', lambdaMemoryMb: 512, lambdaArchitecture: 'x86_64', apiType: 'HTTP' } });
    // 0.5 GB x 0.004 s x $0.0000166667 = 33.3334 nanos + 200 -> 233.3334 -> 233
    expect(computeOrderCost(x86).lambda).toBe(233);
  });

  it('prices Lambda by configured memory', () => {
    const usage = screenedUsage({
      handlerDurationMs: 99.01,
      deployment: { region: 'us-east-1', lambdaMemoryMb: 1024, lambdaArchitecture: 'x86_64', apiType: 'HTTP' },
    });
    // 99.01 ms -> 100 ms; 1 GB x 0.1 s x $0.0000166667 = 1,666.67 nanos + 200 -> 1,866.67 -> 1,867
    expect(computeOrderCost(usage).lambda).toBe(1_867);
  });

  it('prices API Gateway by API type: HTTP 1,000 nanos, REST 3,500 nanos', () => {
    const rest = screenedUsage({ deployment: { region: 'us-east-1', lambdaMemoryMb: 512, lambdaArchitecture: 'arm64', apiType: 'REST' } });
    expect(computeOrderCost(screenedUsage()).apiGateway).toBe(1_000);
    // 1 x $3.50/1M
    expect(computeOrderCost(rest).apiGateway).toBe(3_500);
  });

  it('prices each Bedrock model with its own input and output prices', () => {
    const haiku = screenedUsage({ ai: { ...NOVA_MICRO, model: 'anthropic.claude-3-haiku-20240307-v1:0' } });
    const pro = screenedUsage({ ai: { ...NOVA_MICRO, model: 'amazon.nova-pro-v1:0' } });
    // 1,000 x $0.25/1M = 250,000 + 200 x $1.25/1M = 250,000
    expect(computeOrderCost(haiku).bedrock).toBe(500_000);
    // 1,000 x $0.80/1M = 800,000 + 200 x $3.20/1M = 640,000
    expect(computeOrderCost(pro).bedrock).toBe(1_440_000);
  });

  it('charges no Bedrock cost without an AI call or for a non-Bedrock provider', () => {
    expect(computeOrderCost(screenedUsage({ ai: null })).bedrock).toBe(0);
    const openai = screenedUsage({ ai: { provider: 'openai', model: 'llama3.1', inputTokens: 900, outputTokens: 100 } });
    expect(computeOrderCost(openai).bedrock).toBe(0);
  });

  it('costs a validation failure at Lambda + API Gateway + logs only', () => {
    const rejected = screenedUsage({
      handlerDurationMs: 1.2,
      requestUnits: { writeUnits: 0, readUnits: 0 },
      archivePuts: 0,
      notifications: 0,
      logBytes: 700,
      ai: null,
    });
    expect(computeOrderCost(rejected)).toEqual({
      bedrock: 0,
      // 1.2 ms -> 2 ms; 0.5 GB x 0.002 s x $0.0000133334 = 13.3334 + 200 -> 213.3334 -> 213
      lambda: 213,
      dynamodb: 0,
      s3: 0,
      sns: 0,
      apiGateway: 1_000,
      // 700 / 2^30 x $0.50 = 325.96290111... nanos -> 326
      cloudwatch: 326,
      // 213 + 1,000 + 326
      total: 1_539,
    });
  });

  it('makes the total the exact sum of the lines', () => {
    const cost = computeOrderCost(screenedUsage({ handlerDurationMs: 812.7, logBytes: 6_321, requestUnits: { writeUnits: 7, readUnits: 2.5 } }));
    const { total, ...lines } = cost;
    expect(total).toBe(Object.values(lines).reduce((sum, line) => sum + line, 0));
    expect(Object.values(cost).every(Number.isSafeInteger)).toBe(true);
  });

  it('takes every price from the catalog it is given', () => {
    const prices = catalogJson.prices.map((entry) => (entry.id === 's3.standard.put' ? { ...entry, price: '0.010' } : entry));
    const catalog = createPriceCatalog({ ...catalogJson, prices });
    // 1 PUT x $0.010/1K = 10,000 nanos
    expect(computeOrderCost(screenedUsage(), catalog).s3).toBe(10_000);
  });

  it('throws a clear error for an unpriced Bedrock model', () => {
    const titan = screenedUsage({ ai: { ...NOVA_MICRO, model: 'amazon.titan-text-express-v1' } });
    expect(() => computeOrderCost(titan)).toThrow('Bedrock model "amazon.titan-text-express-v1" has no input/output price in the catalog');
  });
});

describe('assertModelPriced', () => {
  it.each(['amazon.nova-micro-v1:0', 'amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0'])(
    'accepts %s',
    (model) => {
      expect(() => assertModelPriced(model)).not.toThrow();
    },
  );

  it('prices a cross-region inference profile at the model it routes to', () => {
    expect(bedrockPriceIds('us.amazon.nova-micro-v1:0')).toEqual(bedrockPriceIds('amazon.nova-micro-v1:0'));
    expect(bedrockPriceIds('global.anthropic.claude-3-haiku-20240307-v1:0').input).toBe('bedrock.anthropic.claude-3-haiku-20240307-v1:0.input');
    expect(() => assertModelPriced('eu.amazon.nova-lite-v1:0')).not.toThrow();
    // Only a known geography prefix is dropped: a different model is still refused.
    expect(() => assertModelPriced('xx.amazon.nova-micro-v1:0')).toThrow('has no input/output price');
  });

  it('rejects an unpriced model and lists the priced ones', () => {
    expect(() => assertModelPriced('amazon.nova-premier-v1:0')).toThrow(
      'priced models: amazon.nova-micro-v1:0, amazon.nova-lite-v1:0, amazon.nova-pro-v1:0, anthropic.claude-3-haiku-20240307-v1:0',
    );
  });
});

describe('costMetricsBody', () => {
  it('returns each line in dollars and the provider-reported tokens', () => {
    expect(costMetricsBody(computeOrderCost(screenedUsage()), NOVA_MICRO)).toEqual({
      bedrockTokensUsed: 1_200, // 1,000 input + 200 output
      bedrockCost: 0.000063,
      lambdaCost: 0.000000227,
      dynamodbCost: 0.000006438,
      s3Cost: 0.000005,
      snsCost: 0.0000005,
      apiGatewayCost: 0.000001,
      cloudwatchCost: 0.000000477,
      totalProcessingCost: 0.000076642,
    });
  });

  it('reports zero tokens without an AI call', () => {
    const body = costMetricsBody({ bedrock: 0, lambda: 213, dynamodb: 0, s3: 0, sns: 0, apiGateway: 1_000, cloudwatch: 326, total: 1_539 }, null);
    expect(body.bedrockTokensUsed).toBe(0);
    expect(body.totalProcessingCost).toBe(0.000001539);
  });
});
