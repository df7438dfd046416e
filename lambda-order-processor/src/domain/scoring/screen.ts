import type { OrderStatus, RiskSignal } from '../order/order.js';
import { RULES } from '../signals/index.js';
import type { ScreeningContext } from '../signals/signal.js';
import { decide } from './decision.js';
import { scoreSignals } from './score.js';

export interface RulesScreeningResult {
  score: number;
  signals: RiskSignal[];
  status: OrderStatus;
  rejectionReasons: string[];
}

/** Rules + velocity screening: every rule's signals, their score and the decision. Pure and cheap. */
export function screenWithRules(context: ScreeningContext): RulesScreeningResult {
  const signals: RiskSignal[] = [];
  for (const rule of RULES) {
    for (const signal of rule(context)) signals.push(signal);
  }
  const score = scoreSignals(signals);
  const { status, rejectionReasons } = decide(score, signals, context.settings.thresholds);
  return { score, signals, status, rejectionReasons };
}
