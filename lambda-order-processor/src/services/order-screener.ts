import { AiAnalysisFailure, type AiFallbackReason, type AiMode, type AiVerdict } from '../domain/ai/analysis.js';
import { combineRulesAndAi } from '../domain/ai/combine.js';
import { screenWithRules, type RulesScreeningResult } from '../domain/scoring/screen.js';
import type { ScreeningContext } from '../domain/signals/signal.js';
import type { AiUsage, ScreeningOutcome } from '../domain/order/order.js';
import type { AiAnalyst } from '../ports/ai-analyst.js';

export type { AiMode };

/** Why the analyst gave no usable verdict for one order (for the operator's log; never shown to the client). */
export interface AiFallbackDetails {
  orderId: string;
  reason: AiFallbackReason;
  provider: string;
  model: string;
  message: string;
}

export interface AiScreeningSettings {
  /** gray-zone (default): only orders the rules send to review; always: every order; never: none. */
  mode: AiMode;
  /** The analyst's own budget (AI_TIMEOUT_MS); the screener stops waiting shortly after it. */
  timeoutMs: number;
  /** Told about every fallback (e.g. logger.warn in the composition root). */
  onFallback?: (details: AiFallbackDetails) => void;
}

export const DEFAULT_AI_SCREENING: AiScreeningSettings = { mode: 'gray-zone', timeoutMs: 2000 };
/** Slack after the analyst's own timeout before the screener gives up on it regardless. */
export const AI_GUARD_GRACE_MS = 250;

type AiAttempt =
  | { kind: 'verdict'; verdict: AiVerdict }
  | { kind: 'failed'; reason: AiFallbackReason; usage: AiUsage | null; message: string };

/**
 * Screens an order: rules and velocity always; the AI analyst (injected, null for AI_PROVIDER=none)
 * when AI_MODE asks for it. Any AI failure (timeout, throttling, error, unparsable answer) leaves
 * the rules decision standing, with screening.fallback saying why; tokens the provider reported are
 * kept even when its answer was unusable (they were billed).
 */
export class OrderScreener {
  constructor(
    private readonly analyst: AiAnalyst | null = null,
    private readonly settings: AiScreeningSettings = DEFAULT_AI_SCREENING,
  ) {}

  async screen(context: ScreeningContext): Promise<ScreeningOutcome> {
    const rules = screenWithRules(context);
    const analyst = this.analyst;
    const rulesOutcome: ScreeningOutcome = {
      status: rules.status,
      score: rules.score,
      signals: rules.signals,
      rejectionReasons: rules.rejectionReasons,
      screening: { engine: 'rules', aiProvider: analyst?.provider ?? 'none', model: analyst?.model ?? null, fallback: null },
      ai: null,
    };
    if (analyst === null || !this.wantsAi(rules)) return rulesOutcome;

    const attempt = await this.ask(analyst, context, rules);
    if (attempt.kind === 'failed') {
      this.settings.onFallback?.({
        orderId: context.order.orderId,
        reason: attempt.reason,
        provider: analyst.provider,
        model: analyst.model,
        message: attempt.message,
      });
      return { ...rulesOutcome, screening: { ...rulesOutcome.screening, fallback: attempt.reason }, ai: attempt.usage };
    }
    const { verdict } = attempt;
    const combined = combineRulesAndAi(rules, verdict, context.settings.thresholds);
    return {
      ...rulesOutcome,
      status: combined.status,
      score: combined.score,
      rejectionReasons: combined.rejectionReasons,
      screening: { ...rulesOutcome.screening, engine: 'ai' },
      ai: verdict.usage,
    };
  }

  private wantsAi(rules: RulesScreeningResult): boolean {
    switch (this.settings.mode) {
      case 'never':
        return false;
      case 'always':
        return true;
      case 'gray-zone':
        // The review band, not an outright rejection that happens to score there (the model could not change it).
        return rules.status === 'PENDING_REVIEW';
    }
  }

  private async ask(analyst: AiAnalyst, context: ScreeningContext, rules: RulesScreeningResult): Promise<AiAttempt> {
    let guard: NodeJS.Timeout | undefined;
    const limitMs = this.settings.timeoutMs + AI_GUARD_GRACE_MS;
    const deadline = new Promise<AiAttempt>((resolve) => {
      guard = setTimeout(
        () => resolve({ kind: 'failed', reason: 'timeout', usage: null, message: `${analyst.provider} analyst still busy after ${limitMs} ms` }),
        limitMs,
      );
    });
    const answer = Promise.resolve()
      .then(() => analyst.analyse(context.order, rules.signals, rules.score))
      .then(
        (verdict): AiAttempt => ({ kind: 'verdict', verdict }),
        (error: unknown): AiAttempt =>
          error instanceof AiAnalysisFailure
            ? { kind: 'failed', reason: error.reason, usage: error.usage, message: error.message }
            : { kind: 'failed', reason: 'error', usage: null, message: String(error) },
      );
    try {
      return await Promise.race([answer, deadline]);
    } finally {
      clearTimeout(guard);
    }
  }
}
