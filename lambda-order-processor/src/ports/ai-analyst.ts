import type { AiVerdict } from '../domain/ai/analysis.js';
import type { OrderRequest, RiskSignal } from '../domain/order/order.js';

export type { AiVerdict };

/**
 * The AI analyst port (SPEC section 3): Bedrock Converse (src/adapters/bedrock-ai) or an
 * OpenAI-compatible chat-completions server (src/adapters/openai-ai); AI_PROVIDER=none means no
 * analyst and the rules decide. An analyst resolves with a verdict or rejects with an
 * AiAnalysisFailure (domain/ai/analysis.ts) saying why there is none; it never decides the order.
 */
export interface AiAnalyst {
  readonly provider: string;
  readonly model: string;
  analyse(order: OrderRequest, signals: readonly RiskSignal[], rulesScore: number): Promise<AiVerdict>;
}
