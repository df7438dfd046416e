import { screenWithRules } from '../domain/scoring/screen.js';
import type { ScreeningContext } from '../domain/signals/signal.js';
import type { ScreeningOutcome } from '../domain/order/order.js';

/**
 * Screens an order: rules and velocity always; an AI analyst joins with the production adapters
 * (AI_PROVIDER bedrock/openai). With AI_PROVIDER=none the rules decision is final.
 */
export class OrderScreener {
  async screen(context: ScreeningContext): Promise<ScreeningOutcome> {
    const rules = screenWithRules(context);
    return {
      status: rules.status,
      score: rules.score,
      signals: rules.signals,
      rejectionReasons: rules.rejectionReasons,
      screening: { engine: 'rules', aiProvider: 'none', model: null, fallback: null },
      ai: null,
    };
  }
}
