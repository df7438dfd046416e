import { backoffMs } from './backoff.js';

describe('backoffMs (exponential with full jitter)', () => {
  const options = { baseBackoffMs: 500, maxBackoffMs: 60_000 };

  it('doubles the ceiling with each attempt', () => {
    expect(backoffMs(1, options, () => 1)).toBe(1_000);
    expect(backoffMs(2, options, () => 1)).toBe(2_000);
    expect(backoffMs(5, options, () => 1)).toBe(16_000);
  });

  it('never exceeds the maximum and never drops below the base', () => {
    expect(backoffMs(40, options, () => 1)).toBe(60_000);
    expect(backoffMs(3, options, () => 0)).toBe(500);
    expect(backoffMs(3, options, () => 0.5)).toBe(2_000);
  });
});
