import { BedrockRuntimeClient, ConverseCommand, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { AI_MAX_OUTPUT_TOKENS, AiAnalysisFailure, verdictFromAnswer } from '../../domain/ai/analysis.js';
import { buildAiPrompt } from '../../domain/ai/prompt.js';
import { BEDROCK_PROVIDER } from '../../domain/costs/cost-model.js';
import type { OrderRequest, RiskSignal } from '../../domain/order/order.js';
import type { DecisionThresholds } from '../../domain/signals/signal.js';
import type { AiAnalyst, AiVerdict } from '../../ports/ai-analyst.js';

export interface BedrockClientOptions {
  region: string;
  /** AWS_ENDPOINT_URL_BEDROCK_RUNTIME: a VPC endpoint, a proxy, or a local server in tests. */
  endpoint?: string | null;
  /** Static credentials (tests); the default provider chain otherwise. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * The Bedrock Runtime client for the analyst: one attempt only, because a retry after throttling
 * or a 5xx cannot fit in the AI_TIMEOUT_MS budget and the rules decision is the fallback anyway.
 */
export function bedrockRuntimeClient(options: BedrockClientOptions): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

export interface BedrockConverseAnalystOptions {
  client: BedrockRuntimeClient;
  /** Any Converse model id (BEDROCK_MODEL_ID); the cost model prices it from the catalog. */
  modelId: string;
  timeoutMs: number;
  thresholds: DecisionThresholds;
  /** Output token cap (inferenceConfig.maxTokens), AI_MAX_OUTPUT_TOKENS by default. */
  maxTokens?: number;
}

/** The fallback reason for a failed Converse call (the SDK names the error after x-amzn-ErrorType). */
function failureReason(error: unknown): 'throttled' | 'timeout' | 'error' {
  if (typeof error !== 'object' || error === null) return 'error';
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  // ModelNotReadyException is also a 429, but it says the model is not serving, not that we are too fast.
  if (name === 'ModelNotReadyException') return 'error';
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException' || $metadata?.httpStatusCode === 429) return 'throttled';
  // The model itself ran out of time (408): the same outcome for the order as our own timeout.
  if (name === 'ModelTimeoutException') return 'timeout';
  return 'error';
}

function answerText(output: ConverseCommandOutput): string {
  const content = output.output?.message?.content ?? [];
  return content.map((block) => block.text ?? '').join('');
}

/** The AI analyst over Amazon Bedrock's Converse API (SPEC section 1, production column). */
export class BedrockConverseAnalyst implements AiAnalyst {
  readonly provider = BEDROCK_PROVIDER;
  readonly model: string;

  constructor(private readonly options: BedrockConverseAnalystOptions) {
    this.model = options.modelId;
  }

  async analyse(order: OrderRequest, signals: readonly RiskSignal[], rulesScore: number): Promise<AiVerdict> {
    const prompt = buildAiPrompt(order, signals, rulesScore, this.options.thresholds);
    const abortSignal = AbortSignal.timeout(this.options.timeoutMs);
    let output: ConverseCommandOutput;
    try {
      output = await this.options.client.send(
        new ConverseCommand({
          modelId: this.model,
          system: [{ text: prompt.system }],
          messages: [{ role: 'user', content: [{ text: prompt.user }] }],
          inferenceConfig: { maxTokens: this.options.maxTokens ?? AI_MAX_OUTPUT_TOKENS, temperature: 0 },
        }),
        { abortSignal },
      );
    } catch (error) {
      if (abortSignal.aborted) throw new AiAnalysisFailure('timeout', `Bedrock did not answer within ${this.options.timeoutMs} ms`);
      throw new AiAnalysisFailure(failureReason(error), `Bedrock Converse ${this.model} failed: ${String(error)}`);
    }
    const { inputTokens, outputTokens } = output.usage ?? {};
    if (typeof inputTokens !== 'number' || typeof outputTokens !== 'number') {
      // Bedrock always reports usage; without it the call cannot be priced, and tokens are never estimated.
      throw new AiAnalysisFailure('error', 'Bedrock Converse answered without token usage');
    }
    return verdictFromAnswer(answerText(output), { provider: this.provider, model: this.model, inputTokens, outputTokens });
  }
}
