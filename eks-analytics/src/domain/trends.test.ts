import { percentChange, roundPercent, variancePercent } from './trends.js';

describe('percentChange', () => {
  it.each([
    [120, 100, 20],
    [80, 100, -20],
    [100, 100, 0],
    [0, 100, -100],
    [1, 3, -66.7],
    [2, 3, -33.3],
    [0.3, 0.1, 200],
    [10, 0.000001, 999999900],
  ])('from %p to %p is %p%%', (current, previous, expected) => {
    expect(percentChange(current, previous)).toBe(expected);
  });

  it('is null when the previous period had nothing', () => {
    expect(percentChange(5, 0)).toBeNull();
    expect(percentChange(0, 0)).toBeNull();
  });

  it('rounds halves away from zero, both ways', () => {
    expect(percentChange(102.25, 100)).toBe(2.3);
    expect(percentChange(97.75, 100)).toBe(-2.3);
    expect(percentChange(100.04, 100)).toBe(0);
    expect(Object.is(percentChange(99.96, 100), 0)).toBe(true);
  });
});

describe('variancePercent', () => {
  it('is (actual - estimated) / estimated x 100', () => {
    expect(variancePercent(0.04623, 0.05)).toBe(8.2);
    expect(variancePercent(2, 1)).toBe(-50);
    expect(variancePercent(1, 1)).toBe(0);
    expect(variancePercent(0.000037578, 0)).toBe(-100);
  });

  it('is null without an actual cost or without an estimate', () => {
    expect(variancePercent(1, null)).toBeNull();
    expect(variancePercent(0, 5)).toBeNull();
  });
});

describe('roundPercent', () => {
  it('keeps one decimal and removes binary noise before rounding', () => {
    expect(roundPercent(12.349999999999998)).toBe(12.4);
    expect(roundPercent(12.34999999999)).toBe(12.3);
    expect(roundPercent(((1.15 - 1) / 1) * 100)).toBe(15);
    expect(roundPercent(-0.04)).toBe(0);
    expect(roundPercent(33.35)).toBe(33.4);
  });
});
