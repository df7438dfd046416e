import { TIMING_NIGHT, timingRule } from './timing.js';
import { aContext, anOrder } from './testing/screening-context.js';

function signalsFor(placedAt: string | undefined, receivedAt = new Date('2025-06-01T12:00:00Z')) {
  return timingRule(aContext({ order: anOrder({ placedAt }), receivedAt }));
}

describe('timingRule', () => {
  it('flags orders placed between midnight and six in the customer\'s local time', () => {
    expect(signalsFor('2025-06-01T03:12:00-05:00')).toEqual([
      { code: TIMING_NIGHT, points: -0.5, reason: 'Timing: placed at 03:12 local time (Medium risk)' },
    ]);
    expect(signalsFor('2025-06-01T00:00:00Z')).toHaveLength(1);
    expect(signalsFor('2025-06-01T05:59:59.999+09:00')).toHaveLength(1);
  });

  it('uses the offset in placedAt, not UTC or the server clock', () => {
    // 01:00 in Kiribati is 11:00 UTC the day before; 23:30 in Paris is 21:30 UTC.
    expect(signalsFor('2025-06-02T01:00:00+14:00')).toHaveLength(1);
    expect(signalsFor('2025-06-01T23:30:00+02:00')).toEqual([]);
    expect(signalsFor('2025-06-01T06:00:00+00:00')).toEqual([]);
  });

  it('does not guess when placedAt is absent', () => {
    expect(signalsFor(undefined, new Date('2025-06-01T03:00:00Z'))).toEqual([]);
  });
});
