import catalogJson from './price-catalog.json' with { type: 'json' };
import { DEFAULT_IDLE_STACK, formatMonthlyDollars, idleCostMarkdown, idleStackMonthlyCost } from './idle-stack.js';
import { createPriceCatalog } from './price-catalog.js';

describe('idleStackMonthlyCost', () => {
  it('prices the default stack line by line from the catalog, in nano-dollars', () => {
    const cost = idleStackMonthlyCost(DEFAULT_IDLE_STACK);
    expect(cost.lines.map(({ priceId, quantity, nanos }) => [priceId, quantity, nanos])).toEqual([
      ['eks.cluster.standard-support', 730, 73_000_000_000],
      ['ec2.t4g.medium.on-demand', 1460, 49_056_000_000],
      ['ebs.gp3.storage', 40, 3_200_000_000],
      ['vpc.nat-gateway.hours', 730, 32_850_000_000],
      ['vpc.public-ipv4', 730, 3_650_000_000],
      ['cloudwatch.dashboard', 1, 3_000_000_000],
      ['cloudwatch.alarm.standard', 14, 1_400_000_000],
      ['kms.customer-managed-key', 1, 1_000_000_000],
    ]);
    expect(cost.totalNanos).toBe(167_156_000_000);
  });

  it('follows the profile: one node, extended support, no NAT', () => {
    expect(idleStackMonthlyCost({ ...DEFAULT_IDLE_STACK, nodeCount: 1 }).totalNanos).toBe(141_028_000_000);
    expect(idleStackMonthlyCost({ ...DEFAULT_IDLE_STACK, eksSupport: 'extended' }).lines[0]).toEqual({
      item: 'EKS control plane',
      priceId: 'eks.cluster.extended-support',
      quantity: 730,
      nanos: 438_000_000_000,
    });
    const noNat = idleStackMonthlyCost({ ...DEFAULT_IDLE_STACK, natGateways: 0, publicIpv4Addresses: 0 });
    expect(noNat.totalNanos).toBe(167_156_000_000 - 32_850_000_000 - 3_650_000_000);
  });

  it('prices with the catalog it is given', () => {
    const json = structuredClone(catalogJson);
    const eks = json.prices.find((entry) => entry.id === 'eks.cluster.standard-support');
    if (!eks) throw new Error('no EKS price');
    eks.price = '0.20';
    const cost = idleStackMonthlyCost(DEFAULT_IDLE_STACK, createPriceCatalog(json));
    expect(cost.lines[0]?.nanos).toBe(146_000_000_000);
    expect(cost.totalNanos).toBe(240_156_000_000);
  });

  it('refuses an instance type the catalog does not price', () => {
    expect(() => idleStackMonthlyCost({ ...DEFAULT_IDLE_STACK, nodeInstanceType: 'm7g.large' })).toThrow(
      'Price catalog has no price "ec2.m7g.large.on-demand"',
    );
  });

  it('refuses a fractional or negative count', () => {
    expect(() => idleStackMonthlyCost({ ...DEFAULT_IDLE_STACK, nodeCount: 1.5 })).toThrow(
      'Idle stack profile: nodeCount must be a non-negative integer, got 1.5',
    );
    expect(() => idleStackMonthlyCost({ ...DEFAULT_IDLE_STACK, kmsKeys: -1 })).toThrow('kmsKeys must be a non-negative integer, got -1');
  });
});

describe('formatMonthlyDollars', () => {
  it.each([
    [0, '$0.00'],
    [49_056_000_000, '$49.06'],
    [49_054_999_999, '$49.05'],
    [49_055_000_000, '$49.06'],
    [167_156_000_000, '$167.16'],
    [4_999_999, '$0.00'],
    [5_000_000, '$0.01'],
  ])('%d nano-dollars is %s', (nanos, text) => {
    expect(formatMonthlyDollars(nanos)).toBe(text);
  });
});

describe('idleCostMarkdown', () => {
  it('renders the table and the alternatives from the same figures', () => {
    const markdown = idleCostMarkdown();
    expect(markdown).toContain('| 2 nodes t4g.medium (on demand) | 1460 instance-hour | $0.0336 / instance-hour | $49.06 |');
    expect(markdown).toContain('| **total** | | | **$167.16** |');
    expect(markdown).toContain('the total is $141.03');
    expect(markdown).toContain('the total is $532.16');
    expect(markdown).toContain('$0.045 per GB processed');
  });
});
