import { createPriceCatalog, PRICE_CATALOG } from './price-catalog.js';
import catalogJson from './price-catalog.json' with { type: 'json' };

const BEDROCK = 'AWS Bedrock pricing page as copied in convo-lang/convo-lang packages/convo-lang-bedrock/bedrock-pricing.md; Helicone/helicone packages/cost/models/authors/amazon/endpoints.ts';
const PRICE_BOOK = 'AWS price list files (ocelhq/ocel docs/research/price-book.md)';

/**
 * Every priced row of /work/shared/reference/aws-prices.md: [id, price, per, unit, confirmed, source].
 * (The "Bedrock batch / cached input" row states ratios, not prices, and has no entry.)
 */
const REFERENCE_ROWS: [string, string, number, string, boolean, string][] = [
  ['bedrock.amazon.nova-micro-v1:0.input', '0.035', 1_000_000, 'token', true, BEDROCK],
  ['bedrock.amazon.nova-micro-v1:0.output', '0.14', 1_000_000, 'token', true, BEDROCK],
  ['bedrock.amazon.nova-lite-v1:0.input', '0.06', 1_000_000, 'token', true, BEDROCK],
  ['bedrock.amazon.nova-lite-v1:0.output', '0.24', 1_000_000, 'token', true, BEDROCK],
  ['bedrock.amazon.nova-pro-v1:0.input', '0.80', 1_000_000, 'token', true, BEDROCK],
  ['bedrock.amazon.nova-pro-v1:0.output', '3.20', 1_000_000, 'token', true, BEDROCK],
  ['bedrock.anthropic.claude-3-haiku-20240307-v1:0.input', '0.25', 1_000_000, 'token', true, BEDROCK],
  ['bedrock.anthropic.claude-3-haiku-20240307-v1:0.output', '1.25', 1_000_000, 'token', true, BEDROCK],
  ['lambda.x86_64.duration', '0.0000166667', 1, 'GB-second', true, PRICE_BOOK],
  ['lambda.x86_64.requests', '0.20', 1_000_000, 'request', true, PRICE_BOOK],
  ['lambda.arm64.duration', '0.0000133334', 1, 'GB-second', true, PRICE_BOOK],
  ['lambda.arm64.requests', '0.20', 1_000_000, 'request', true, PRICE_BOOK],
  ['apigateway.http.requests', '1.00', 1_000_000, 'request', false, 'third-party pricing pages'],
  ['apigateway.rest.requests', '3.50', 1_000_000, 'request', false, 'third-party pricing pages'],
  ['dynamodb.on-demand.write-request-units', '0.625', 1_000_000, 'write request unit', true, PRICE_BOOK],
  ['dynamodb.on-demand.read-request-units', '0.125', 1_000_000, 'read request unit', true, PRICE_BOOK],
  ['dynamodb.storage', '0.25', 1, 'GB-month', true, PRICE_BOOK],
  ['s3.standard.put', '0.005', 1_000, 'request', true, PRICE_BOOK],
  ['s3.standard.get', '0.0004', 1_000, 'request', true, PRICE_BOOK],
  ['s3.standard.storage', '0.023', 1, 'GB-month', true, PRICE_BOOK],
  ['sns.publish', '0.50', 1_000_000, 'request', false, 'third-party pricing page'],
  ['sns.email-delivery', '2.00', 100_000, 'email delivery', false, 'third-party pricing page'],
  ['cloudwatch.put-metric-data', '0.01', 1_000, 'request', false, 'Well-Architected Serverless Lens (EMF)'],
  ['cloudwatch.custom-metric', '0.30', 1, 'metric-month', true, 'third-party pages'],
  ['cloudwatch.logs.ingestion', '0.50', 1, 'GB', true, 'third-party pages'],
  ['cost-explorer.api-request', '0.01', 1, 'request', true, 'AWS Cost Management user guide'],
];

const IDLE = (page: string): string =>
  `AWS ${page} pricing page (idle infrastructure; not in aws-prices.md, not re-checked offline)`;

const IDLE_IPV4 =
  'AWS VPC pricing page, public IPv4 charge announced for 2024-02-01 (idle infrastructure; not in aws-prices.md, not re-checked offline)';

/** The idle-infrastructure prices docs/deploy.md's idle-stack table needs (idle-stack.ts): not in aws-prices.md, so unconfirmed. */
const IDLE_INFRASTRUCTURE_ROWS: [string, string, number, string, boolean, string][] = [
  ['eks.cluster.standard-support', '0.10', 1, 'cluster-hour', false, IDLE('EKS')],
  ['eks.cluster.extended-support', '0.60', 1, 'cluster-hour', false, IDLE('EKS')],
  ['ec2.t4g.medium.on-demand', '0.0336', 1, 'instance-hour', false, IDLE('EC2 on-demand')],
  ['ebs.gp3.storage', '0.08', 1, 'GB-month', false, IDLE('EBS')],
  ['vpc.nat-gateway.hours', '0.045', 1, 'NAT gateway-hour', false, IDLE('VPC')],
  ['vpc.nat-gateway.data-processed', '0.045', 1, 'GB', false, IDLE('VPC')],
  ['vpc.public-ipv4', '0.005', 1, 'address-hour', false, IDLE_IPV4],
  ['cloudwatch.dashboard', '3.00', 1, 'dashboard-month', false, IDLE('CloudWatch')],
  ['cloudwatch.alarm.standard', '0.10', 1, 'alarm metric-month', false, IDLE('CloudWatch')],
  ['kms.customer-managed-key', '1.00', 1, 'key-month', false, IDLE('KMS')],
];

function validEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'test.item',
    service: 'Test',
    description: 'a test price',
    price: '0.5',
    unit: 'request',
    per: 1,
    region: 'us-east-1',
    effective: '2026-11-01',
    source: 'test',
    confirmed: true,
    ...overrides,
  };
}

function catalogOf(...prices: unknown[]): unknown {
  return { currency: 'USD', region: 'us-east-1', collected: '2026-11', prices };
}

describe('PRICE_CATALOG (price-catalog.json)', () => {
  it.each(REFERENCE_ROWS)('%s is %s per %d %s as in aws-prices.md', (id, price, per, unit, confirmed, source) => {
    expect(PRICE_CATALOG.price(id)).toMatchObject({ price, per, unit, confirmed, source, region: 'us-east-1' });
  });

  it.each(IDLE_INFRASTRUCTURE_ROWS)('%s (idle infrastructure) is %s per %d %s, unconfirmed', (id, price, per, unit, confirmed, source) => {
    expect(PRICE_CATALOG.price(id)).toMatchObject({ price, per, unit, confirmed, source, region: 'us-east-1' });
  });

  it('holds exactly the reference rows and the idle-infrastructure rows, nothing invented', () => {
    const expected = [...REFERENCE_ROWS, ...IDLE_INFRASTRUCTURE_ROWS].map(([id]) => id).sort();
    expect(PRICE_CATALOG.entries().map((entry) => entry.id).sort()).toEqual(expected);
  });

  it('gives every entry a source, an effective date and a unit', () => {
    for (const entry of PRICE_CATALOG.entries()) {
      expect(entry.source.length).toBeGreaterThan(0);
      expect(entry.effective).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.unit.length).toBeGreaterThan(0);
    }
  });

  it('dates the DynamoDB write price from its 2024-11-01 cut', () => {
    expect(PRICE_CATALOG.price('dynamodb.on-demand.write-request-units').effective).toBe('2024-11-01');
  });

  it('states currency and region at the top', () => {
    expect(catalogJson).toMatchObject({ currency: 'USD', region: 'us-east-1', collected: '2026-11' });
  });

  it('throws for an unknown id and answers has()', () => {
    expect(() => PRICE_CATALOG.price('lambda.mips.duration')).toThrow('Price catalog has no price "lambda.mips.duration"');
    expect(PRICE_CATALOG.has('sns.publish')).toBe(true);
    expect(PRICE_CATALOG.has('sns.sms')).toBe(false);
  });
});

describe('createPriceCatalog validation', () => {
  it('accepts a valid document', () => {
    expect(createPriceCatalog(catalogOf(validEntry())).price('test.item').price).toBe('0.5');
  });

  it('rejects a document without a prices array', () => {
    expect(() => createPriceCatalog({ currency: 'USD' })).toThrow('expected an object with a "prices" array');
  });

  it('rejects a currency other than USD', () => {
    expect(() => createPriceCatalog({ ...(catalogOf() as object), currency: 'EUR' })).toThrow('currency must be "USD"');
  });

  it('names the entry with a missing field', () => {
    const { source: _omitted, ...withoutSource } = validEntry({ id: 'sns.publish' });
    expect(() => createPriceCatalog(catalogOf(validEntry(), withoutSource))).toThrow(
      'Price catalog entry 1 ("sns.publish"): missing or empty "source"',
    );
  });

  it.each([
    ['a number', 0.5],
    ['scientific notation', '5e-7'],
    ['negative', '-0.5'],
    ['a dollar sign', '$0.50'],
    ['more than 15 decimals', '0.0000000000000001'],
  ])('rejects a price given as %s', (_label, price) => {
    expect(() => createPriceCatalog(catalogOf(validEntry({ price })))).toThrow(/Price catalog entry 0 \("test.item"\): .*price/);
  });

  it('rejects a duplicate id', () => {
    expect(() => createPriceCatalog(catalogOf(validEntry(), validEntry({ price: '0.6' })))).toThrow(
      'Price catalog entry 1 ("test.item"): duplicate id',
    );
  });

  it.each([
    ['per of zero', { per: 0 }, '"per" must be a positive integer'],
    ['fractional per', { per: 1.5 }, '"per" must be a positive integer'],
    ['bad effective date', { effective: '2026-11' }, '"effective" must be a yyyy-mm-dd date'],
    ['string confirmed', { confirmed: 'yes' }, '"confirmed" must be a boolean'],
    ['empty unit', { unit: ' ' }, 'missing or empty "unit"'],
  ])('rejects %s', (_label, override, message) => {
    expect(() => createPriceCatalog(catalogOf(validEntry(override)))).toThrow(message);
  });

  it('rejects an entry that is not an object', () => {
    expect(() => createPriceCatalog(catalogOf('lambda'))).toThrow('Price catalog entry 0: is not an object');
  });
});
