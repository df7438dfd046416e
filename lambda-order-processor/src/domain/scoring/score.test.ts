import type { RiskSignal } from '../order/order.js';
import { BASE_SCORE, scoreSignals } from './score.js';

const withPoints = (...points: number[]): RiskSignal[] =>
  points.map((value, index) => ({ code: `TEST_${index}`, points: value, reason: `Test: ${value}` }));

describe('scoreSignals', () => {
  it('starts from the top of the scale', () => {
    expect(BASE_SCORE).toBe(10);
    expect(scoreSignals([])).toBe(10);
  });

  it('takes each signal\'s points off the base', () => {
    expect(scoreSignals(withPoints(-1, -0.7))).toBe(8.3);
    expect(scoreSignals(withPoints(-2.5, 0.3, -0.5))).toBe(7.3);
  });

  it('adds decimals exactly', () => {
    expect(scoreSignals(withPoints(-0.1, -0.2))).toBe(9.7);
    expect(scoreSignals(withPoints(-0.7, -0.7, -0.7))).toBe(7.9);
  });

  it('clamps to 0-10 after summing', () => {
    expect(scoreSignals(withPoints(1.5))).toBe(10);
    expect(scoreSignals(withPoints(1.5, -1))).toBe(10);
    expect(scoreSignals(withPoints(-6, -6))).toBe(0);
    expect(scoreSignals(withPoints(1.5, -3))).toBe(8.5);
  });
});
