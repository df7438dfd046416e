import { hasAtMostTwoDecimals, parseIsoDateTimeWithOffset } from './rules.js';

describe('hasAtMostTwoDecimals', () => {
  it.each([0.01, 0.1 + 0.2, 19.99, 24.990000000000002, 1_000_000.07, 10_000_000, 3 * 0.1])('accepts %p', (amount) => {
    expect(hasAtMostTwoDecimals(amount)).toBe(true);
  });

  it.each([0.001, 1.005, 19.999, 24.9900001, Number.POSITIVE_INFINITY, Number.NaN])('rejects %p', (amount) => {
    expect(hasAtMostTwoDecimals(amount)).toBe(false);
  });
});

describe('parseIsoDateTimeWithOffset', () => {
  it('converts offsets to the same instant', () => {
    const utc = Date.UTC(2025, 5, 2, 19, 30);
    expect(parseIsoDateTimeWithOffset('2025-06-02T19:30:00Z')).toBe(utc);
    expect(parseIsoDateTimeWithOffset('2025-06-02T14:30:00-05:00')).toBe(utc);
    expect(parseIsoDateTimeWithOffset('2025-06-03T01:00+05:30')).toBe(utc);
    expect(parseIsoDateTimeWithOffset('2025-06-02T19:30:00.250Z')).toBe(utc + 250);
  });

  it('knows leap years', () => {
    expect(parseIsoDateTimeWithOffset('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoDateTimeWithOffset('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
    expect(parseIsoDateTimeWithOffset('2023-02-29T00:00:00Z')).toBeNull();
    expect(parseIsoDateTimeWithOffset('1900-02-29T00:00:00Z')).toBeNull();
  });

  it.each([
    '2025-04-31T00:00:00Z',
    '2025-00-10T00:00:00Z',
    '2025-06-00T00:00:00Z',
    '2025-06-02T23:59:60Z',
    '2025-06-02T12:00:00+14:01',
    '2025-06-02T12:00:00+05:60',
    '2025-06-02T12:00:00.1234567890Z',
    '+02025-06-02T12:00:00Z',
    '2025-06-02T12:00:00Z ',
  ])('rejects %p', (value) => {
    expect(parseIsoDateTimeWithOffset(value)).toBeNull();
  });
});
