import type { RiskSignal } from '../order/order.js';
import { PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER } from '../signals/product.js';
import { blendScores, combineRulesAndAi, type AiOpinion, type RulesOpinion } from './combine.js';

const THRESHOLDS = { rejectBelow: 4, approveFrom: 7 };
const NEW_CUSTOMER: RiskSignal = { code: 'CUSTOMER_NEW', points: -1.5, reason: 'Customer: first order (Medium risk)' };
const HIGH_VALUE: RiskSignal = { code: 'ORDER_VALUE_HIGH', points: -3, reason: 'Order value: $2500 (High risk)' };
const GIFT_CARDS: RiskSignal = { code: PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER, points: -1, reason: 'Product: 20 gift cards (High risk)' };

function rules(score: number, status: RulesOpinion['status'], signals: RiskSignal[] = [NEW_CUSTOMER, HIGH_VALUE]): RulesOpinion {
  return { score, status, signals };
}
function ai(score: number, decision: string, confidence: number, fraudIndicators: string[] = []): AiOpinion {
  return { score, decision, confidence, fraudIndicators };
}

describe('blendScores', () => {
  it.each([
    [5.5, 9, 1, 7.3], // weight 0.5: 2.75 + 4.5 = 7.25 -> 7.3
    [5.5, 9, 0.5, 6.4], // weight 0.25: 4.125 + 2.25 = 6.375 -> 6.4
    [5.5, 9, 0, 5.5], // no confidence, no influence
    [8, 2, 0.9, 5.3], // weight 0.45: 4.4 + 0.9
    [6, 20, 1, 8], // defensive clamp of an out-of-range AI score
  ])('rules %d, ai %d at confidence %d -> %d', (rulesScore, aiScore, confidence, expected) => {
    expect(blendScores(rulesScore, aiScore, confidence)).toBe(expected);
  });
});

describe('combineRulesAndAi', () => {
  it('a confident approving model lifts a gray-zone order to APPROVED with no reasons', () => {
    expect(combineRulesAndAi(rules(5.5, 'PENDING_REVIEW'), ai(9, 'APPROVED', 1), THRESHOLDS)).toEqual({ score: 7.3, status: 'APPROVED', rejectionReasons: [] });
  });

  it('an unsure model leaves the order in review', () => {
    expect(combineRulesAndAi(rules(5.5, 'PENDING_REVIEW'), ai(9, 'APPROVED', 0.5), THRESHOLDS)).toMatchObject({ score: 6.4, status: 'PENDING_REVIEW' });
  });

  it('a confident rejecting model rejects, listing rules reasons then its own indicators', () => {
    expect(combineRulesAndAi(rules(4.5, 'PENDING_REVIEW'), ai(1, 'REJECTED', 1, ['reshipper address', 'mismatched names']), THRESHOLDS)).toEqual({
      score: 2.8,
      status: 'REJECTED',
      rejectionReasons: [HIGH_VALUE.reason, NEW_CUSTOMER.reason, 'AI analyst: reshipper address', 'AI analyst: mismatched names'],
    });
  });

  it('a model that does not say APPROVED keeps a high blended score out of APPROVED', () => {
    expect(combineRulesAndAi(rules(9, 'APPROVED', []), ai(8, 'PENDING_REVIEW', 0.6, ['unusual hour']), THRESHOLDS)).toEqual({
      score: 8.7,
      status: 'PENDING_REVIEW',
      rejectionReasons: ['AI analyst: unusual hour'],
    });
  });

  it('a model can downgrade an order the rules approved', () => {
    expect(combineRulesAndAi(rules(8, 'APPROVED', []), ai(2, 'REJECTED', 0.9), THRESHOLDS)).toMatchObject({ score: 5.3, status: 'PENDING_REVIEW' });
  });

  it('an order the rules rejected by score is lifted to review at most, never approved', () => {
    expect(combineRulesAndAi(rules(3.5, 'REJECTED'), ai(10, 'APPROVED', 1), THRESHOLDS)).toMatchObject({ score: 6.8, status: 'PENDING_REVIEW' });
    expect(combineRulesAndAi(rules(6.9, 'REJECTED'), ai(10, 'APPROVED', 1), { rejectBelow: 7, approveFrom: 8 })).toMatchObject({
      score: 8.5,
      status: 'PENDING_REVIEW',
    });
  });

  it("the rules' outright rejection always stands, whatever the model says", () => {
    const outcome = combineRulesAndAi(rules(6, 'REJECTED', [GIFT_CARDS]), ai(10, 'APPROVED', 1), THRESHOLDS);
    expect(outcome).toEqual({ score: 8, status: 'REJECTED', rejectionReasons: [GIFT_CARDS.reason] });
  });

  it('caps the AI reasons at five', () => {
    const indicators = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const outcome = combineRulesAndAi(rules(5, 'PENDING_REVIEW', []), ai(1, 'REJECTED', 1, indicators), THRESHOLDS);
    expect(outcome.rejectionReasons).toEqual(['a', 'b', 'c', 'd', 'e'].map((x) => `AI analyst: ${x}`));
  });
});
