import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { failure } from '../../../test/support/failure.js';
import { CostExportError, FocusFileCostSource, amountToFemtos, detectLayout, sumCostExport, utcDayOf } from './focus-file-cost-source.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');
const FOCUS = path.join(FIXTURES, 'focus-1.0.csv');
const CUR2 = path.join(FIXTURES, 'cur-2.0.csv');
const LEGACY = path.join(FIXTURES, 'legacy-cur.csv');

const MARCH_1_TO_3 = { startDate: '2026-03-01', endDate: '2026-03-03', days: 3 };

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'orderops-cost-export-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function csvFile(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

const FOCUS_HEADER = 'BilledCost,BillingCurrency,ChargePeriodStart,ServiceName';

describe('FocusFileCostSource on a FOCUS 1.0 export', () => {
  it('sums BilledCost by service for the days of the range, exactly', async () => {
    const costs = await new FocusFileCostSource(FOCUS).actualCosts(MARCH_1_TO_3);
    expect(costs).toEqual({
      source: 'focus-file',
      currency: 'USD',
      startDate: '2026-03-01',
      endDate: '2026-03-03',
      // 0.0000001 + 0.0000002 + 0.0000004 - 0.0000001 (a credit); 5.00 and 9 are outside the range
      actualLambdaCost: 0.0000006,
      // Amazon Bedrock 0.012345678901 (rounded to the nano-dollar) + Claude 3 Haiku 0.25
      actualBedrockCost: 0.262345679,
      actualDynamoDbCost: 0.3,
      actualS3Cost: 0.023,
      actualSnsCost: 0.0000005,
      actualApiGatewayCost: 0.000001,
      actualCloudWatchCost: 0.01,
      actualOtherCost: 1.5,
      actualTotalCost: 2.095347779,
      byService: {
        'AWS Lambda': 0.0000006,
        'Amazon API Gateway': 0.000001,
        'Amazon Bedrock': 0.012345679,
        'Amazon DynamoDB': 0.3,
        'Amazon Elastic Compute Cloud - Compute': 1.5,
        'Amazon Simple Notification Service': 0.0000005,
        'Amazon Simple Storage Service': 0.023,
        AmazonCloudWatch: 0.01,
        'Claude 3 Haiku (Amazon Bedrock Edition)': 0.25,
      },
    });
  });

  it('counts a one-day range on its own day only', async () => {
    const costs = await new FocusFileCostSource(FOCUS).actualCosts({ startDate: '2026-03-02', endDate: '2026-03-02', days: 1 });
    expect(costs.actualTotalCost).toBe(0.56);
    expect(costs.actualBedrockCost).toBe(0.25);
    expect(costs.actualLambdaCost).toBe(0);
  });

  it('says when the export does not reach the whole range', async () => {
    const costs = await new FocusFileCostSource(FOCUS).actualCosts({ startDate: '2026-03-03', endDate: '2026-03-09', days: 7 });
    expect(costs.source).toBe('focus-file');
    // 0.023 + 0.0000005 + 0.000001 + 1.5 - 0.0000001 on 2026-03-03, 9 on 2026-03-04
    expect(costs.actualTotalCost).toBe(10.5230014);
    expect(costs.reason).toBe('the cost export covers 2026-02-28 to 2026-03-04; days of 2026-03-03 to 2026-03-09 outside it are not counted');
  });

  it('answers unavailable, not zero, for a range the export does not cover', async () => {
    const costs = await new FocusFileCostSource(FOCUS).actualCosts({ startDate: '2026-04-01', endDate: '2026-04-07', days: 7 });
    expect(costs.source).toBe('unavailable');
    expect(costs.actualTotalCost).toBeNull();
    expect(costs.actualLambdaCost).toBeNull();
    expect(costs.reason).toBe('the cost export covers 2026-02-28 to 2026-03-04, not 2026-04-01 to 2026-04-07');
  });

  it('answers unavailable for an export with a header and no rows', async () => {
    const file = csvFile('header-only.csv', `${FOCUS_HEADER}\n`);
    const costs = await new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3);
    expect(costs).toMatchObject({ source: 'unavailable', actualTotalCost: null, reason: `the cost export ${file} has no cost rows` });
  });

  it('sums a hundred thousand tenths of a micro-dollar exactly', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `0.0000001,USD,2026-03-0${1 + (i % 3)}T00:00:00Z,AWS Lambda`);
    const file = csvFile('many.csv', `${FOCUS_HEADER}\n${rows.join('\n')}\n`);
    const costs = await new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3);
    // 100,000 x 100 nano-dollars = $0.01 (adding 0.0000001 as doubles 100,000 times gives 0.009999999999994874)
    expect(costs.actualLambdaCost).toBe(0.01);
    expect(costs.actualTotalCost).toBe(0.01);
  });

  it('reads a gzip-compressed export', async () => {
    const file = path.join(scratch, 'export.csv.gz');
    writeFileSync(file, gzipSync(`${FOCUS_HEADER}\n0.5,USD,2026-03-01T00:00:00Z,Amazon Bedrock\n`));
    const costs = await new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3);
    expect(costs.actualBedrockCost).toBe(0.5);
  });
});

describe('FocusFileCostSource on AWS CUR exports', () => {
  it('reads CUR 2.0: product_name from the product map, else the product code; offsets converted to UTC days', async () => {
    const costs = await new FocusFileCostSource(CUR2).actualCosts({ startDate: '2026-03-01', endDate: '2026-03-02', days: 2 });
    expect(costs).toMatchObject({
      source: 'focus-file',
      // 0.0000133334 + 2.0E-7 + 0.01 of tax billed under AWS Lambda
      actualLambdaCost: 0.010013533,
      // AmazonBedrock (code only) 0.035 + Claude 3 Haiku 1.25
      actualBedrockCost: 1.285,
      actualDynamoDbCost: 0.000000625,
      // the S3 row starts 2026-03-02T22:00-05:00, which is 2026-03-03 in UTC
      actualS3Cost: 0,
      actualOtherCost: 0,
      actualTotalCost: 1.295014158,
      byService: {
        'AWS Lambda': 0.010013533,
        AmazonBedrock: 0.035,
        'Amazon DynamoDB': 0.000000625,
        'Claude 3 Haiku (Amazon Bedrock Edition)': 1.25,
      },
    });
    expect(costs.reason).toBeUndefined();
    const third = await new FocusFileCostSource(CUR2).actualCosts({ startDate: '2026-03-03', endDate: '2026-03-03', days: 1 });
    expect(third.actualS3Cost).toBe(0.005);
  });

  it('reads legacy CUR', async () => {
    const costs = await new FocusFileCostSource(LEGACY).actualCosts({ startDate: '2026-03-01', endDate: '2026-03-01', days: 1 });
    expect(costs).toMatchObject({
      actualSnsCost: 0.0000005,
      actualApiGatewayCost: 0.000001,
      // no product name on that row: the product code AmazonCloudWatch
      actualCloudWatchCost: 0.03,
      actualTotalCost: 0.0300015,
    });
  });

  it('reports the detected format', async () => {
    expect((await sumCostExport(FOCUS, MARCH_1_TO_3)).format).toBe('FOCUS');
    expect((await sumCostExport(CUR2, MARCH_1_TO_3)).format).toBe('CUR 2.0');
    const legacy = await sumCostExport(LEGACY, MARCH_1_TO_3);
    expect(legacy).toMatchObject({ format: 'legacy CUR', rows: 3, rowsInRange: 3, firstDay: '2026-03-01', lastDay: '2026-03-01' });
  });
});

describe('FocusFileCostSource errors', () => {
  it('names a missing file', async () => {
    const error = await failure(() => new FocusFileCostSource('/nonexistent/export.csv').actualCosts(MARCH_1_TO_3));
    expect(error).toBeInstanceOf(CostExportError);
    expect(error.message).toBe('cost export file not found: /nonexistent/export.csv');
  });

  it('names the expected columns for an unknown header', async () => {
    const file = csvFile('unknown.csv', 'date,service,amount\n2026-03-01,AWS Lambda,1\n');
    const error = await failure(() => new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3));
    expect(error).toBeInstanceOf(CostExportError);
    expect(error.message).toBe(
      `${file}: unrecognised header (date, service, amount); expected FOCUS 1.x columns ServiceName, BilledCost, ChargePeriodStart (and BillingCurrency), ` +
        'or AWS CUR 2.0 columns line_item_usage_start_date, line_item_unblended_cost, line_item_currency_code and one of product_product_name, product, line_item_product_code',
    );
  });

  it('names the missing column of a recognised format', async () => {
    const file = csvFile('no-service.csv', 'BilledCost,BillingCurrency,ChargePeriodStart\n1,USD,2026-03-01\n');
    const error = await failure(() => new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3));
    expect(error.message).toMatch(new RegExp(`^${file}: the FOCUS header lacks ServiceName; expected FOCUS 1.x columns`));
  });

  it('names the line of a cost that is not a number', async () => {
    const file = csvFile('bad-cost.csv', `${FOCUS_HEADER}\n0.1,USD,2026-03-01,AWS Lambda\n"1,5",USD,2026-03-02,AWS Lambda\n`);
    const error = await failure(() => new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3));
    expect(error).toBeInstanceOf(CostExportError);
    expect(error.message).toBe(`${file}: line 3: BilledCost "1,5" is not a number`);
  });

  it('names the line of a date that is not a date', async () => {
    const file = csvFile('bad-date.csv', `${FOCUS_HEADER}\n0.1,USD,03/01/2026,AWS Lambda\n`);
    const error = await failure(() => new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3));
    expect(error.message).toBe(`${file}: line 2: ChargePeriodStart "03/01/2026" is not a date`);
  });

  it('refuses a row of the range in another currency, ignores one outside it', async () => {
    const file = csvFile('eur.csv', `${FOCUS_HEADER}\n0.1,EUR,2026-02-01,AWS Lambda\n0.1,USD,2026-03-01,AWS Lambda\n0.2,EUR,2026-03-02,AWS Lambda\n`);
    const error = await failure(() => new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3));
    expect(error.message).toBe(`${file}: line 4: BillingCurrency is EUR; only USD exports are supported`);
    const february = await new FocusFileCostSource(file).actualCosts({ startDate: '2026-03-01', endDate: '2026-03-01', days: 1 });
    expect(february.actualLambdaCost).toBe(0.1);
  });

  it('reports malformed CSV with the file name', async () => {
    const file = csvFile('ragged.csv', `${FOCUS_HEADER}\n0.1,USD,2026-03-01\n`);
    const error = await failure(() => new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3));
    expect(error).toBeInstanceOf(CostExportError);
    expect(error.message).toMatch(new RegExp(`^${file}: Invalid Record Length`));
  });

  it('refuses an empty file', async () => {
    const file = csvFile('empty.csv', '');
    const error = await failure(() => new FocusFileCostSource(file).actualCosts(MARCH_1_TO_3));
    expect(error.message).toMatch(new RegExp(`^${file}: the file is empty; expected a header with FOCUS 1.x columns`));
  });
});

describe('amountToFemtos', () => {
  it.each([
    ['0.0000001', 100_000_000n],
    ['1', 1_000_000_000_000_000n],
    ['-0.5', -500_000_000_000_000n],
    ['+2.25', 2_250_000_000_000_000n],
    ['.5', 500_000_000_000_000n],
    ['3.', 3_000_000_000_000_000n],
    ['1.0E-7', 100_000_000n],
    ['2e3', 2_000_000_000_000_000_000n],
    ['0.0000133334', 13_333_400_000n],
    ['0.0000000000000015', 2n],
    ['-0.0000000000000015', -2n],
    [' 0.25 ', 250_000_000_000_000n],
  ])('%j is %p femto-dollars', (text, femtos) => {
    expect(amountToFemtos(text)).toBe(femtos);
  });

  it.each([[''], ['-'], ['.'], ['1,5'], ['abc'], ['1e999'], ['0x10'], ['NaN'], ['1.2.3']])('%j is not a number', (text) => {
    expect(amountToFemtos(text)).toBeNull();
  });
});

describe('utcDayOf', () => {
  it.each([
    ['2026-03-01', '2026-03-01'],
    ['2026-03-01T00:00:00Z', '2026-03-01'],
    ['2026-03-01T23:59:59.999Z', '2026-03-01'],
    ['2026-03-01 00:00:00.000', '2026-03-01'],
    ['2026-03-01 00:00:00 UTC', '2026-03-01'],
    ['2026-03-01T00:00', '2026-03-01'],
    ['2026-03-01T22:00:00-05:00', '2026-03-02'],
    ['2026-03-01T01:00:00+0200', '2026-02-28'],
    ['2026-03-01T00:00:00+00:00', '2026-03-01'],
  ])('%j starts on %s', (text, day) => {
    expect(utcDayOf(text)).toBe(day);
  });

  it.each([['03/01/2026'], ['2026-02-30'], [''], ['2026-03-01X']])('%j is not a date', (text) => {
    expect(utcDayOf(text)).toBeNull();
  });
});

describe('detectLayout', () => {
  it('trims header names and finds the CUR 2.0 service columns present, best first', () => {
    const layout = detectLayout(['line_item_usage_start_date', ' line_item_unblended_cost ', 'line_item_product_code', 'product']);
    expect(layout.format).toBe('CUR 2.0');
    expect(layout.cost).toBe(1);
    expect(layout.service).toEqual([
      ['product', 3],
      ['line_item_product_code', 2],
    ]);
    expect(layout.currency).toBeNull();
  });
});
