import type { OrderStatus, RiskSignal } from '../order/order.js';
import { decide, OUTRIGHT_REJECT_CODES } from '../scoring/decision.js';
import type { DecisionThresholds } from '../signals/signal.js';

/**
 * How an AI verdict and the rules combine into the final score and status (SPEC section 3).
 *
 * 1. Score: a blend weighted by the model's confidence, at most half and half:
 *      weight = AI_MAX_WEIGHT x confidence;  score = rules x (1 - weight) + ai x weight  (one decimal).
 *    A sure model moves a gray-zone order out of the band; an unsure one barely moves it.
 * 2. Status from the blended score with the configured thresholds, then capped:
 *    - an outright rejection by the rules (e.g. bulk gift cards for a new customer) always stands;
 *    - an order the rules rejected by score can be lifted to PENDING_REVIEW at most, never APPROVED;
 *    - when the model itself did not answer APPROVED, the order is not approved either (a person looks).
 *    The AI can therefore always make an order stricter, and make it more lenient only by one step
 *    and only with the rules' score and its own decision agreeing.
 * 3. Reasons: the rules' negative signals (outright first, most negative first), then the model's
 *    fraud indicators prefixed "AI analyst: "; empty when APPROVED.
 */

export const AI_MAX_WEIGHT = 0.5;
export const AI_REASON_PREFIX = 'AI analyst: ';
const MAX_AI_REASONS = 5;

export interface AiOpinion {
  score: number;
  decision: string;
  confidence: number;
  fraudIndicators: readonly string[];
}

export interface RulesOpinion {
  score: number;
  status: OrderStatus;
  signals: readonly RiskSignal[];
}

export interface CombinedDecision {
  score: number;
  status: OrderStatus;
  rejectionReasons: string[];
}

const RANK: Record<OrderStatus, number> = { REJECTED: 0, PENDING_REVIEW: 1, APPROVED: 2 };

function atMost(status: OrderStatus, cap: OrderStatus): OrderStatus {
  return RANK[status] <= RANK[cap] ? status : cap;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function blendScores(rulesScore: number, aiScore: number, confidence: number): number {
  const weight = AI_MAX_WEIGHT * clamp(confidence, 0, 1);
  const blended = rulesScore * (1 - weight) + clamp(aiScore, 0, 10) * weight;
  return Math.round(blended * 10) / 10;
}

export function combineRulesAndAi(rules: RulesOpinion, ai: AiOpinion, thresholds: DecisionThresholds): CombinedDecision {
  const score = blendScores(rules.score, ai.score, ai.confidence);
  let status: OrderStatus =
    score < thresholds.rejectBelow ? 'REJECTED' : score >= thresholds.approveFrom ? 'APPROVED' : 'PENDING_REVIEW';
  if (rules.status === 'REJECTED') status = atMost(status, 'PENDING_REVIEW');
  if (ai.decision !== 'APPROVED') status = atMost(status, 'PENDING_REVIEW');
  if (rules.signals.some((signal) => OUTRIGHT_REJECT_CODES.has(signal.code))) status = 'REJECTED';

  if (status === 'APPROVED') return { score, status, rejectionReasons: [] };
  // decide() with a score below every threshold lists every negative signal in its usual order.
  const rulesReasons = decide(Number.NEGATIVE_INFINITY, rules.signals, thresholds).rejectionReasons;
  const aiReasons = ai.fraudIndicators.slice(0, MAX_AI_REASONS).map((indicator) => `${AI_REASON_PREFIX}${indicator}`);
  return { score, status, rejectionReasons: [...rulesReasons, ...aiReasons] };
}
