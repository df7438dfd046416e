import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';

import { DATA_UNAVAILABLE, FakeCostExplorer, THROTTLED, awsError } from '../../../test/support/fake-cost-explorer.js';
import type { UsageRow } from '../../../test/support/fake-cost-explorer.js';
import { failure } from '../../../test/support/failure.js';
import { CostExplorerCostSource, CostExplorerError } from './cost-explorer-cost-source.js';
import type { CostExplorerCostSourceOptions } from './cost-explorer-cost-source.js';

const MARCH_1_TO_3 = { startDate: '2026-03-01', endDate: '2026-03-03', days: 3 };
const HORIZON = { startDate: '2026-11-25', endDate: '2026-12-24', days: 30 };

const USAGE: UsageRow[] = [
  { day: '2026-03-01', service: 'AWS Lambda', amount: '0.0000001' },
  { day: '2026-03-01', service: 'Amazon Bedrock', amount: '0.012345678901' },
  { day: '2026-03-01', service: 'AmazonCloudWatch', amount: '0.01' },
  { day: '2026-03-02', service: 'AWS Lambda', amount: '0.0000002' },
  { day: '2026-03-02', service: 'Claude 3 Haiku (Amazon Bedrock Edition)', amount: '0.25' },
  { day: '2026-03-02', service: 'Amazon DynamoDB', amount: '0.3' },
  { day: '2026-03-03', service: 'AWS Lambda', amount: '-0.0000001' },
  { day: '2026-03-03', service: 'Amazon Simple Storage Service', amount: '2.3E-2' },
  { day: '2026-03-03', service: 'Amazon Simple Notification Service', amount: '0.0000005' },
  { day: '2026-03-03', service: 'Amazon API Gateway', amount: '0.000001' },
  { day: '2026-03-03', service: 'Amazon Elastic Container Service for Kubernetes', amount: '1.5' },
  // Outside the range (End is exclusive: 2026-03-04 must not be asked for) and another project's row.
  { day: '2026-03-04', service: 'AWS Lambda', amount: '9' },
  { day: '2026-02-28', service: 'AWS Lambda', amount: '5' },
  { day: '2026-03-02', service: 'AWS Lambda', amount: '7', tag: { key: 'project', value: 'other' } },
];

let fake: FakeCostExplorer;
let endpoint: string;
let clock: Date;

beforeAll(async () => {
  fake = new FakeCostExplorer();
  endpoint = await fake.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.clearQueued();
  fake.usage = USAGE;
  fake.pageSize = 31;
  clock = new Date('2026-11-25T09:00:00.000Z');
});

function client(maxAttempts = 1): CostExplorerClient {
  return new CostExplorerClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts,
  });
}

function source(options: Partial<CostExplorerCostSourceOptions> = {}, maxAttempts = 1): CostExplorerCostSource {
  return new CostExplorerCostSource(client(maxAttempts), { tagKey: 'project', tagValue: 'orderops', now: () => clock, ...options });
}

describe('CostExplorerCostSource.actualCosts', () => {
  it('sums the tagged daily costs by service exactly, mapping Bedrock, Claude and AmazonCloudWatch', async () => {
    const costs = await source().actualCosts(MARCH_1_TO_3);
    expect(costs).toEqual({
      source: 'cost-explorer',
      currency: 'USD',
      startDate: '2026-03-01',
      endDate: '2026-03-03',
      // 0.0000001 + 0.0000002 - 0.0000001 (a credit); 9, 5 and the other project's 7 are not counted
      actualLambdaCost: 0.0000002,
      // Amazon Bedrock (Nova) 0.012345678901, rounded to the nano-dollar, + Claude 3 Haiku 0.25
      actualBedrockCost: 0.262345679,
      actualDynamoDbCost: 0.3,
      actualS3Cost: 0.023,
      actualSnsCost: 0.0000005,
      actualApiGatewayCost: 0.000001,
      actualCloudWatchCost: 0.01,
      actualOtherCost: 1.5,
      actualTotalCost: 2.095347379,
      byService: {
        'AWS Lambda': 0.0000002,
        'Amazon API Gateway': 0.000001,
        'Amazon Bedrock': 0.012345679,
        'Amazon DynamoDB': 0.3,
        'Amazon Elastic Container Service for Kubernetes': 1.5,
        'Amazon Simple Notification Service': 0.0000005,
        'Amazon Simple Storage Service': 0.023,
        AmazonCloudWatch: 0.01,
        'Claude 3 Haiku (Amazon Bedrock Edition)': 0.25,
      },
      cachedAt: '2026-11-25T09:00:00.000Z',
      cacheAgeSeconds: 0,
    });
  });

  it('sends the real request: exclusive End, DAILY, the metric, grouped by SERVICE, filtered on the tag', async () => {
    await source({ tagKey: 'cost-center', tagValue: 'orderops-prod', metric: 'NetUnblendedCost' }).actualCosts(MARCH_1_TO_3);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.operation).toBe('GetCostAndUsage');
    expect(request?.headers['x-amz-target']).toBe('AWSInsightsIndexService.GetCostAndUsage');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/ce\/aws4_request/);
    expect(request?.body).toEqual({
      TimePeriod: { Start: '2026-03-01', End: '2026-03-04' },
      Granularity: 'DAILY',
      Metrics: ['NetUnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      Filter: { Tags: { Key: 'cost-center', Values: ['orderops-prod'], MatchOptions: ['EQUALS'] } },
    });
  });

  it('follows NextPageToken through every page', async () => {
    fake.pageSize = 1;
    const costs = await source().actualCosts(MARCH_1_TO_3);
    expect(fake.requests.map((request) => request.body.NextPageToken)).toEqual([undefined, 'page-1', 'page-2']);
    expect(costs.actualTotalCost).toBe(2.095347379);
    expect(costs.actualLambdaCost).toBe(0.0000002);
  });

  it('sums a thousand tenths of a micro-dollar exactly', async () => {
    fake.pageSize = 1;
    const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    fake.usage = days.flatMap((day) => Array.from({ length: 25 }, (_, k) => ({ day, service: `Service ${k}`, amount: '0.0000001' })));
    const costs = await source().actualCosts({ startDate: '2026-01-01', endDate: '2026-02-09', days: 40 });
    expect(fake.requests).toHaveLength(40);
    // 1,000 x 100 nano-dollars = $0.0001 exactly (as doubles it would drift)
    expect(costs.actualOtherCost).toBe(0.0001);
    expect(costs.actualTotalCost).toBe(0.0001);
  });

  it('says which days Cost Explorer marks as estimated', async () => {
    fake.usage = [
      { day: '2026-03-01', service: 'AWS Lambda', amount: '1' },
      { day: '2026-03-02', service: 'AWS Lambda', amount: '1', estimated: true },
      { day: '2026-03-03', service: 'AWS Lambda', amount: '1', estimated: true },
    ];
    const costs = await source().actualCosts(MARCH_1_TO_3);
    expect(costs.reason).toBe('Cost Explorer marks 2 days (2026-03-02 to 2026-03-03) as estimated: its data lags up to 24 hours');
    const one = await source().actualCosts({ startDate: '2026-03-03', endDate: '2026-03-03', days: 1 });
    expect(one.reason).toBe('Cost Explorer marks 2026-03-03 as estimated: its data lags up to 24 hours');
  });

  it('answers zeros (a real zero: Cost Explorer says so) for a range without tagged costs', async () => {
    const costs = await source().actualCosts({ startDate: '2025-01-01', endDate: '2025-01-02', days: 2 });
    expect(costs).toMatchObject({ source: 'cost-explorer', actualTotalCost: 0, actualLambdaCost: 0, byService: {} });
  });
});

describe('CostExplorerCostSource cache', () => {
  it('answers from the cache within the TTL, with the age, and asks again once it expires', async () => {
    const costs = source({ cacheTtlSeconds: 3600 });
    const first = await costs.actualCosts(MARCH_1_TO_3);
    clock = new Date('2026-11-25T09:59:59.000Z');
    const second = await costs.actualCosts(MARCH_1_TO_3);
    expect(fake.requests).toHaveLength(1);
    expect(second).toEqual({ ...first, cacheAgeSeconds: 3599 });
    expect(second.cachedAt).toBe('2026-11-25T09:00:00.000Z');

    // Another range is another request.
    await costs.actualCosts({ startDate: '2026-03-01', endDate: '2026-03-01', days: 1 });
    expect(fake.requests).toHaveLength(2);

    clock = new Date('2026-11-25T10:00:00.000Z');
    fake.usage = [{ day: '2026-03-01', service: 'AWS Lambda', amount: '3' }];
    const third = await costs.actualCosts(MARCH_1_TO_3);
    expect(fake.requests).toHaveLength(3);
    expect(third).toMatchObject({ actualTotalCost: 3, cachedAt: '2026-11-25T10:00:00.000Z', cacheAgeSeconds: 0 });
  });

  it('caches for 6 hours by default', async () => {
    const costs = source();
    await costs.actualCosts(MARCH_1_TO_3);
    clock = new Date('2026-11-25T14:59:59.999Z');
    expect((await costs.actualCosts(MARCH_1_TO_3)).cacheAgeSeconds).toBe(21599);
    expect(fake.requests).toHaveLength(1);
    clock = new Date('2026-11-25T15:00:00.000Z');
    expect((await costs.actualCosts(MARCH_1_TO_3)).cacheAgeSeconds).toBe(0);
    expect(fake.requests).toHaveLength(2);
  });

  it('makes one call for concurrent identical requests', async () => {
    fake.pageSize = 1;
    const costs = source();
    const answers = await Promise.all([costs.actualCosts(MARCH_1_TO_3), costs.actualCosts(MARCH_1_TO_3), costs.actualCosts(MARCH_1_TO_3)]);
    // One walk through the three pages, shared by the three callers.
    expect(fake.requests).toHaveLength(3);
    expect(answers.map((answer) => answer.actualTotalCost)).toEqual([2.095347379, 2.095347379, 2.095347379]);
  });

  it('does not cache a failure', async () => {
    const costs = source();
    fake.failNext(THROTTLED);
    await expect(costs.actualCosts(MARCH_1_TO_3)).rejects.toThrow(CostExplorerError);
    expect((await costs.actualCosts(MARCH_1_TO_3)).actualTotalCost).toBe(2.095347379);
    expect(fake.requests).toHaveLength(2);
  });

  it('with a TTL of 0 asks every time', async () => {
    const costs = source({ cacheTtlSeconds: 0 });
    await costs.actualCosts(MARCH_1_TO_3);
    await costs.actualCosts(MARCH_1_TO_3);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('CostExplorerCostSource errors', () => {
  it('surfaces throttling (LimitExceededException) as a CostExplorerError naming the code', async () => {
    fake.failNext(THROTTLED);
    const error = await failure(() => source().actualCosts(MARCH_1_TO_3));
    expect(error).toBeInstanceOf(CostExplorerError);
    expect((error as CostExplorerError).code).toBe('LimitExceededException');
    expect(error.message).toBe('Cost Explorer GetCostAndUsage failed: LimitExceededException: Rate exceeded');
  });

  it('lets the SDK retry a throttled request', async () => {
    fake.failNext(THROTTLED);
    const costs = await source({}, 2).actualCosts(MARCH_1_TO_3);
    expect(costs.actualTotalCost).toBe(2.095347379);
    expect(fake.requests).toHaveLength(2);
  });

  it('reports an access error and a server error', async () => {
    fake.failNext(awsError('AccessDeniedException', 'User is not authorized to perform: ce:GetCostAndUsage'));
    const denied = await failure(() => source().actualCosts(MARCH_1_TO_3));
    expect(denied.message).toBe('Cost Explorer GetCostAndUsage failed: AccessDeniedException: User is not authorized to perform: ce:GetCostAndUsage');
    fake.failNext({ status: 500, body: { __type: 'InternalServerError', message: 'boom' } });
    const broken = await failure(() => source().actualCosts(MARCH_1_TO_3));
    expect(broken).toBeInstanceOf(CostExplorerError);
    expect((broken as CostExplorerError).code).toBe('InternalServerError');
  });

  it('refuses an amount that is not a number, and a currency other than USD', async () => {
    fake.usage = [{ day: '2026-03-01', service: 'AWS Lambda', amount: 'lots' }];
    const garbage = await failure(() => source().actualCosts(MARCH_1_TO_3));
    expect(garbage.message).toBe('Cost Explorer answered UnblendedCost of AWS Lambda on 2026-03-01 "lots", which is not an amount');
    fake.usage = [{ day: '2026-03-01', service: 'AWS Lambda', amount: '1', unit: 'EUR' }];
    const euros = await failure(() => source().actualCosts(MARCH_1_TO_3));
    expect(euros.message).toBe('Cost Explorer answered AWS Lambda on 2026-03-01 in EUR; only USD is supported');
  });

  it('refuses a body that is not JSON', async () => {
    fake.failNext({ status: 200, body: '<html>proxy error</html>' });
    const error = await failure(() => source().actualCosts(MARCH_1_TO_3));
    expect(error).toBeInstanceOf(CostExplorerError);
    expect(error.message).toMatch(/^Cost Explorer GetCostAndUsage failed: /);
  });

  it('reports an unreachable endpoint', async () => {
    const offline = new CostExplorerCostSource(
      new CostExplorerClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 }),
      { tagKey: 'project', tagValue: 'orderops' },
    );
    const error = await failure(() => offline.actualCosts(MARCH_1_TO_3));
    expect(error).toBeInstanceOf(CostExplorerError);
    expect(error.message).toMatch(/^Cost Explorer GetCostAndUsage failed: .*ECONNREFUSED/);
  });
});

describe('CostExplorerCostSource.forecast', () => {
  it('asks for the horizon with an 80% interval on the tag, and sums the monthly bounds exactly', async () => {
    const forecast = await source().forecast(HORIZON);
    expect(forecast).toEqual({
      startDate: '2026-11-25',
      endDate: '2026-12-24',
      forecastedCost: 42.123456789,
      // 7.25 + 30.0000000001 and 9.75 + 38.5
      lower80: 37.25,
      upper80: 48.25,
      cachedAt: '2026-11-25T09:00:00.000Z',
      cacheAgeSeconds: 0,
    });
    expect(fake.requests.map((request) => [request.operation, request.body])).toEqual([
      [
        'GetCostForecast',
        {
          TimePeriod: { Start: '2026-11-25', End: '2026-12-25' },
          Metric: 'UNBLENDED_COST',
          Granularity: 'MONTHLY',
          PredictionIntervalLevel: 80,
          Filter: { Tags: { Key: 'project', Values: ['orderops'], MatchOptions: ['EQUALS'] } },
        },
      ],
    ]);
  });

  it('forecasts the net cost when the metric is NetUnblendedCost', async () => {
    await source({ metric: 'NetUnblendedCost' }).forecast(HORIZON);
    expect(fake.requests[0]?.body.Metric).toBe('NET_UNBLENDED_COST');
  });

  it('answers null when Cost Explorer has too little history (DataUnavailableException), and caches that', async () => {
    fake.failNext(DATA_UNAVAILABLE);
    const costs = source();
    expect(await costs.forecast(HORIZON)).toBeNull();
    expect(await costs.forecast(HORIZON)).toBeNull();
    expect(fake.requests).toHaveLength(1);
  });

  it('caches the forecast and shares concurrent requests', async () => {
    const costs = source();
    const [a, b] = await Promise.all([costs.forecast(HORIZON), costs.forecast(HORIZON)]);
    expect(a).toEqual(b);
    clock = new Date('2026-11-25T10:00:00.000Z');
    expect((await costs.forecast(HORIZON))?.cacheAgeSeconds).toBe(3600);
    expect(fake.requests).toHaveLength(1);
  });

  it('surfaces throttling as an error, and a forecast without Total as garbage', async () => {
    fake.failNext(THROTTLED, { operation: 'GetCostForecast' });
    const throttled = await failure(() => source().forecast(HORIZON));
    expect(throttled).toBeInstanceOf(CostExplorerError);
    expect((throttled as CostExplorerError).code).toBe('LimitExceededException');
    fake.failNext({ status: 200, body: { ForecastResultsByTime: [] } });
    const empty = await failure(() => source().forecast(HORIZON));
    expect(empty.message).toBe('GetCostForecast answered no Total');
  });
});
