import { AI_MAX_OUTPUT_TOKENS, AiAnalysisFailure, verdictFromAnswer } from '../../domain/ai/analysis.js';
import { buildAiPrompt } from '../../domain/ai/prompt.js';
import type { OrderRequest, RiskSignal } from '../../domain/order/order.js';
import type { DecisionThresholds } from '../../domain/signals/signal.js';
import type { AiAnalyst, AiVerdict } from '../../ports/ai-analyst.js';

export const OPENAI_PROVIDER = 'openai';
/** Longest error body kept in a failure message. */
const ERROR_SNIPPET_CHARS = 200;

export interface OpenAiChatAnalystOptions {
  /** OPENAI_BASE_URL, e.g. http://localhost:11434/v1 (Ollama), http://vllm:8000/v1, https://api.openai.com/v1. */
  baseUrl: string;
  /** OPENAI_MODEL as the server names it. */
  model: string;
  /** OPENAI_API_KEY, sent as a bearer token when given. */
  apiKey?: string | null;
  timeoutMs: number;
  thresholds: DecisionThresholds;
}

interface ChatCompletion {
  choices?: { message?: { content?: unknown } }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/**
 * The AI analyst over any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM,
 * llama.cpp server). JSON mode (response_format json_object) is asked for; a server that refuses
 * that field with a 400 is asked again without it, and this instance stops sending it.
 * Token usage is the server's `usage`; a server that reports none counts 0 tokens (never estimated;
 * these tokens are not AWS charges, so the cost model does not price them).
 */
export class OpenAiChatAnalyst implements AiAnalyst {
  readonly provider = OPENAI_PROVIDER;
  readonly model: string;
  private readonly endpoint: string;
  private jsonMode = true;

  constructor(private readonly options: OpenAiChatAnalystOptions) {
    this.model = options.model;
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async analyse(order: OrderRequest, signals: readonly RiskSignal[], rulesScore: number): Promise<AiVerdict> {
    const prompt = buildAiPrompt(order, signals, rulesScore, this.options.thresholds);
    const messages = [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ];
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let completion: ChatCompletion;
    try {
      completion = await this.complete(messages, signal);
    } catch (error) {
      if (error instanceof AiAnalysisFailure) throw error;
      if (signal.aborted) throw new AiAnalysisFailure('timeout', `${this.endpoint} did not answer within ${this.options.timeoutMs} ms`);
      throw new AiAnalysisFailure('error', `chat completion failed: ${String(error)}`);
    }
    const usage = {
      provider: this.provider,
      model: this.model,
      inputTokens: tokens(completion.usage?.prompt_tokens),
      outputTokens: tokens(completion.usage?.completion_tokens),
    };
    const content = completion.choices?.[0]?.message?.content;
    return verdictFromAnswer(typeof content === 'string' ? content : '', usage);
  }

  private async complete(messages: object[], signal: AbortSignal): Promise<ChatCompletion> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    for (;;) {
      const jsonMode = this.jsonMode;
      const body = {
        model: this.model,
        messages,
        temperature: 0,
        max_tokens: AI_MAX_OUTPUT_TOKENS,
        ...(jsonMode ? { response_format: { type: 'json_object' } } : {}),
      };
      const response = await fetch(this.endpoint, { method: 'POST', headers, body: JSON.stringify(body), signal });
      const text = await response.text();
      if (response.ok) {
        let completion: unknown;
        try {
          completion = JSON.parse(text);
        } catch {
          completion = null;
        }
        if (typeof completion !== 'object' || completion === null || Array.isArray(completion)) {
          throw new AiAnalysisFailure('error', `chat completion answered ${response.status} with a body that is not a JSON object`);
        }
        return completion as ChatCompletion;
      }
      if (response.status === 400 && jsonMode && /response_format/i.test(text)) {
        this.jsonMode = false;
        continue;
      }
      const snippet = text.slice(0, ERROR_SNIPPET_CHARS);
      if (response.status === 429) throw new AiAnalysisFailure('throttled', `chat completion throttled (429): ${snippet}`);
      throw new AiAnalysisFailure('error', `chat completion answered ${response.status}: ${snippet}`);
    }
  }
}
