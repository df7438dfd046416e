import type { AiUsage, OrderRequest, RiskSignal } from '../domain/order/order.js';

/** What an AI analyst concluded about an order (parsed and range-checked by the adapter). */
export interface AiVerdict {
  score: number;
  decision: string;
  confidence: number;
  fraudIndicators: string[];
  reasoning: string;
  usage: AiUsage;
}

/**
 * The AI analyst port (SPEC section 3). Adapters (Bedrock Converse, OpenAI-compatible) arrive with
 * the production adapters; AI_PROVIDER=none means no analyst and the rules decide.
 */
export interface AiAnalyst {
  readonly provider: string;
  readonly model: string;
  analyse(order: OrderRequest, signals: readonly RiskSignal[], rulesScore: number): Promise<AiVerdict>;
}
