import {
  assertNanos,
  costNanos,
  decimalToFemtos,
  exactQuantity,
  lineCostNanos,
  nanosToDollars,
  quantity,
  sumNanos,
  femtosToNanos,
} from './money.js';

describe('decimalToFemtos', () => {
  it.each([
    ['0.0000133334', 13_333_400_000n], // 13.3334 nano-dollars
    ['0.20', 200_000_000_000_000n],
    ['3.50', 3_500_000_000_000_000n],
    ['12', 12_000_000_000_000_000n],
    ['0.000000000000001', 1n],
  ])('converts %s exactly', (text, femtos) => {
    expect(decimalToFemtos(text)).toBe(femtos);
  });

  it.each(['', '.5', '5.', '1e-6', '-1', ' 1', '1,5'])('rejects %j', (text) => {
    expect(() => decimalToFemtos(text)).toThrow('is not a plain decimal number');
  });

  it('rejects more precision than a femto-dollar', () => {
    expect(() => decimalToFemtos('0.0000000000000001')).toThrow('more than 15 decimal places');
  });
});

describe('exactQuantity', () => {
  it.each([
    [0, 0n, 1n],
    [7, 7n, 1n],
    [1.5, 3n, 2n],
    [0.5, 1n, 2n],
    [0.25, 1n, 4n],
  ])('%d is %d/%d', (value, numerator, denominator) => {
    expect(exactQuantity(value)).toEqual({ numerator, denominator });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (value) => {
    expect(() => exactQuantity(value)).toThrow('finite non-negative');
  });
});

describe('quantity', () => {
  it('rejects negative counts, zero denominators and non-integer parts', () => {
    expect(() => quantity(-1)).toThrow('must not be negative');
    expect(() => quantity(1, 0)).toThrow('denominator must be positive');
    expect(() => quantity(1.5)).toThrow('not a safe integer');
  });
});

describe('costNanos / lineCostNanos', () => {
  const perMillion = (price: string) => ({ price, per: 1_000_000 });

  it('prices a count at a per-1M price exactly', () => {
    // 1,000 tokens x $0.035 / 1M = $0.000035 = 35,000 nanos
    expect(costNanos(perMillion('0.035'), quantity(1000))).toBe(35_000);
  });

  it('keeps sub-nano unit prices exact before rounding', () => {
    // 1 GB-s x $0.0000133334 = 13,333.4 nanos -> 13,333; 3 GB-s = 40,000.2 -> 40,000
    expect(costNanos({ price: '0.0000133334', per: 1 }, quantity(1))).toBe(13_333);
    expect(costNanos({ price: '0.0000133334', per: 1 }, quantity(3))).toBe(40_000);
  });

  it('rounds half up', () => {
    // $0.125 per 1M units = 125 nanos per unit
    expect(costNanos(perMillion('0.125'), quantity(1, 2))).toBe(63); // 62.5 -> 63
    expect(costNanos(perMillion('0.125'), quantity(1, 10))).toBe(13); // 12.5 -> 13
    expect(costNanos(perMillion('0.125'), quantity(1, 16))).toBe(8); // 7.8125 -> 8
    expect(costNanos(perMillion('0.125'), quantity(1, 40))).toBe(3); // 3.125 -> 3
  });

  it('rounds a line once, not per term', () => {
    // 62.5 + 62.5 = 125 nanos; rounding each term first would give 63 + 63 = 126
    const half = { price: perMillion('0.125'), quantity: quantity(1, 2) };
    expect(lineCostNanos([half, half])).toBe(125);
  });

  it('costs nothing for an empty line or zero quantity', () => {
    expect(lineCostNanos([])).toBe(0);
    expect(costNanos(perMillion('3.50'), quantity(0))).toBe(0);
  });
});

describe('sumNanos and nanosToDollars', () => {
  it('converts nanos to the exact decimal dollar value', () => {
    expect(nanosToDollars(13_000)).toBe(0.000013);
    expect(nanosToDollars(227)).toBe(0.000000227);
    expect(nanosToDollars(1_000_000_000)).toBe(1);
    expect(nanosToDollars(123_456_789_012)).toBe(123.456789012);
    expect(nanosToDollars(0)).toBe(0);
  });

  it('has no float drift over 1,000,000 additions', () => {
    const costs = new Array<number>(1_000_000).fill(227);
    const total = sumNanos(costs);
    expect(total).toBe(227_000_000);
    expect(nanosToDollars(total)).toBe(0.227);
    // Summing the dollar figures instead drifts, which is why money is stored as integer nanos.
    let dollars = 0;
    for (const cost of costs) dollars += nanosToDollars(cost);
    expect(dollars).not.toBe(0.227);
  });

  it('refuses amounts that are not safe integers', () => {
    expect(() => sumNanos([1, 0.5])).toThrow('not a safe integer: 0.5');
    expect(() => sumNanos([Number.MAX_SAFE_INTEGER, 1])).toThrow('not a safe integer');
    expect(() => nanosToDollars(1.5)).toThrow('not a safe integer');
    expect(assertNanos(42)).toBe(42);
  });
});

describe('femtosToNanos', () => {
  it('rounds half away from zero, for charges and credits alike', () => {
    expect(femtosToNanos(1_499_999n)).toBe(1);
    expect(femtosToNanos(1_500_000n)).toBe(2);
    expect(femtosToNanos(-1_500_000n)).toBe(-2);
    expect(femtosToNanos(-1_499_999n)).toBe(-1);
    expect(femtosToNanos(0n)).toBe(0);
  });

  it('refuses amounts beyond a safe integer of nano-dollars', () => {
    expect(() => femtosToNanos(BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n + 1_000_000n)).toThrow(RangeError);
  });
});
