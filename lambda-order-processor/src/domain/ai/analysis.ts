import type { AiUsage } from '../order/order.js';
import { parseAiVerdict, type ParsedAiVerdict } from './verdict.js';

/**
 * When the analyst is asked (AI_MODE): gray-zone (default) only for orders the rules send to review,
 * always for every order (the original system's behaviour), never for none.
 */
export const AI_MODES = ['gray-zone', 'always', 'never'] as const;
export type AiMode = (typeof AI_MODES)[number];

/** Why an AI answer was not used; the rules decision then stands (SPEC section 3). */
export const AI_FALLBACK_REASONS = ['timeout', 'throttled', 'error', 'unparsable'] as const;
export type AiFallbackReason = (typeof AI_FALLBACK_REASONS)[number];

/**
 * Thrown by AI analysts when there is no usable verdict. `usage` carries the tokens the provider
 * reported when it did answer (an unparsable answer was still billed), else null.
 */
export class AiAnalysisFailure extends Error {
  constructor(
    readonly reason: AiFallbackReason,
    message: string,
    readonly usage: AiUsage | null = null,
  ) {
    super(message);
    this.name = 'AiAnalysisFailure';
  }
}

/** What an AI analyst concluded about an order: the parsed, range-checked answer and the tokens it cost. */
export type AiVerdict = ParsedAiVerdict & { usage: AiUsage };

/** Parses a provider's answer text, or throws an `unparsable` failure that keeps the usage. */
export function verdictFromAnswer(text: string, usage: AiUsage): AiVerdict {
  const parsed = parseAiVerdict(text);
  if (!parsed.ok) throw new AiAnalysisFailure('unparsable', `unparsable AI answer: ${parsed.reason}`, usage);
  return { ...parsed.verdict, usage };
}

/**
 * Output token cap of every analyst call: the verdict JSON needs about 150 tokens; the cap keeps a
 * rambling model from running up output tokens (an answer cut short is unparsable and falls back).
 */
export const AI_MAX_OUTPUT_TOKENS = 400;

/** The Bedrock model used when BEDROCK_MODEL_ID is not set (SPEC section 1). */
export const DEFAULT_BEDROCK_MODEL_ID = 'amazon.nova-micro-v1:0';
