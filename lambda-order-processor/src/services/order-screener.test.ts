import { AiAnalysisFailure, type AiMode, type AiVerdict } from '../domain/ai/analysis.js';
import type { AiUsage, OrderRequest, RiskSignal } from '../domain/order/order.js';
import { screenWithRules } from '../domain/scoring/screen.js';
import type { ScreeningContext } from '../domain/signals/signal.js';
import { aContext, anItem, anOrder, aProfile } from '../domain/signals/testing/screening-context.js';
import type { AiAnalyst } from '../ports/ai-analyst.js';
import { AI_GUARD_GRACE_MS, OrderScreener, type AiFallbackDetails } from './order-screener.js';

const USAGE: AiUsage = { provider: 'bedrock', model: 'amazon.nova-micro-v1:0', inputTokens: 900, outputTokens: 110 };

function verdict(overrides: Partial<AiVerdict> = {}): AiVerdict {
  return {
    score: 9,
    riskLevel: 'LOW',
    decision: 'APPROVED',
    confidence: 1,
    fraudIndicators: [],
    reasoning: 'fine',
    recommendations: [],
    usage: USAGE,
    ...overrides,
  };
}

/** A port implementation that answers as scripted and records what it was asked. */
class ScriptedAnalyst implements AiAnalyst {
  readonly provider = 'bedrock';
  readonly model = 'amazon.nova-micro-v1:0';
  readonly calls: Array<{ order: OrderRequest; signals: readonly RiskSignal[]; rulesScore: number }> = [];
  constructor(private readonly answer: () => Promise<AiVerdict>) {}
  analyse(order: OrderRequest, signals: readonly RiskSignal[], rulesScore: number): Promise<AiVerdict> {
    this.calls.push({ order, signals, rulesScore });
    return this.answer();
  }
}

// Contexts with a known rules outcome (checked below, so a change in the rules shows here first).
const APPROVED_CONTEXT = aContext({ profile: aProfile() });
const GRAY_CONTEXT = aContext({
  order: anOrder({ customerEmail: 'jane.smith@example.com', items: [anItem({ name: 'Gaming Laptop', price: 1899.99, category: 'electronics' })] }),
});
const OUTRIGHT_CONTEXT = aContext({ order: anOrder({ items: [anItem({ name: 'Amazon Gift Card', price: 100, quantity: 10 })] }) });

function screener(analyst: AiAnalyst | null, mode: AiMode = 'gray-zone', timeoutMs = 2000, onFallback?: (details: AiFallbackDetails) => void): OrderScreener {
  return new OrderScreener(analyst, { mode, timeoutMs, ...(onFallback ? { onFallback } : {}) });
}

describe('OrderScreener', () => {
  it('works on contexts with the rules outcomes the cases rely on', () => {
    expect(screenWithRules(APPROVED_CONTEXT).status).toBe('APPROVED');
    expect(screenWithRules(GRAY_CONTEXT)).toMatchObject({ status: 'PENDING_REVIEW', score: 5.8 });
    expect(screenWithRules(OUTRIGHT_CONTEXT).status).toBe('REJECTED');
  });

  it('without an analyst the rules decide, as before', async () => {
    const rules = screenWithRules(GRAY_CONTEXT);
    await expect(screener(null).screen(GRAY_CONTEXT)).resolves.toEqual({
      status: rules.status,
      score: rules.score,
      signals: rules.signals,
      rejectionReasons: rules.rejectionReasons,
      screening: { engine: 'rules', aiProvider: 'none', model: null, fallback: null },
      ai: null,
    });
  });

  describe('AI_MODE', () => {
    it.each<[AiMode, ScreeningContext, boolean]>([
      ['gray-zone', GRAY_CONTEXT, true],
      ['gray-zone', APPROVED_CONTEXT, false],
      ['gray-zone', OUTRIGHT_CONTEXT, false],
      ['always', GRAY_CONTEXT, true],
      ['always', APPROVED_CONTEXT, true],
      ['always', OUTRIGHT_CONTEXT, true],
      ['never', GRAY_CONTEXT, false],
      ['never', APPROVED_CONTEXT, false],
    ])('%s asks the analyst: %#', async (mode, context, asked) => {
      const analyst = new ScriptedAnalyst(() => Promise.resolve(verdict()));
      const outcome = await screener(analyst, mode).screen(context);
      expect(analyst.calls).toHaveLength(asked ? 1 : 0);
      expect(outcome.screening).toEqual({ engine: asked ? 'ai' : 'rules', aiProvider: 'bedrock', model: 'amazon.nova-micro-v1:0', fallback: null });
      expect(outcome.ai).toEqual(asked ? USAGE : null);
    });
  });

  it('gives the analyst the order, the rules signals and score, and combines its verdict', async () => {
    const rules = screenWithRules(GRAY_CONTEXT);
    const analyst = new ScriptedAnalyst(() => Promise.resolve(verdict({ score: 9, confidence: 1 })));
    const outcome = await screener(analyst).screen(GRAY_CONTEXT);
    expect(analyst.calls).toEqual([{ order: GRAY_CONTEXT.order, signals: rules.signals, rulesScore: 5.8 }]);
    // 5.8 x 0.5 + 9 x 0.5 = 7.4: approved, no reasons.
    expect(outcome).toMatchObject({ status: 'APPROVED', score: 7.4, rejectionReasons: [], signals: rules.signals });
  });

  it("a rejecting verdict adds the model's indicators to the reasons", async () => {
    const analyst = new ScriptedAnalyst(() => Promise.resolve(verdict({ score: 1, decision: 'REJECTED', confidence: 1, fraudIndicators: ['reshipper address'] })));
    const outcome = await screener(analyst).screen(GRAY_CONTEXT);
    expect(outcome.status).toBe('REJECTED');
    expect(outcome.score).toBe(3.4); // 5.8 x 0.5 + 1 x 0.5
    expect(outcome.rejectionReasons.at(-1)).toBe('AI analyst: reshipper address');
  });

  it('in always mode an outright rejection stands whatever the model says', async () => {
    const analyst = new ScriptedAnalyst(() => Promise.resolve(verdict({ score: 10, confidence: 1 })));
    await expect(screener(analyst, 'always').screen(OUTRIGHT_CONTEXT)).resolves.toMatchObject({ status: 'REJECTED', screening: { engine: 'ai' } });
  });

  describe('fallbacks: the rules decision stands and screening.fallback says why', () => {
    const rules = screenWithRules(GRAY_CONTEXT);

    it.each([
      ['throttled', new AiAnalysisFailure('throttled', 'Bedrock throttled the request'), null],
      ['timeout', new AiAnalysisFailure('timeout', 'no answer within 2000 ms'), null],
      ['unparsable', new AiAnalysisFailure('unparsable', 'score 140 is outside 0-10', USAGE), USAGE],
      ['error', new Error('socket hang up'), null],
      ['error', 'a string thrown by a broken adapter', null],
    ])('%s (%#)', async (reason, thrown, usage) => {
      const fallbacks: AiFallbackDetails[] = [];
      const analyst = new ScriptedAnalyst(() => Promise.reject(thrown));
      const outcome = await screener(analyst, 'gray-zone', 2000, (details) => fallbacks.push(details)).screen(GRAY_CONTEXT);
      expect(outcome).toEqual({
        status: rules.status,
        score: rules.score,
        signals: rules.signals,
        rejectionReasons: rules.rejectionReasons,
        screening: { engine: 'rules', aiProvider: 'bedrock', model: 'amazon.nova-micro-v1:0', fallback: reason },
        // Tokens the provider billed for an unusable answer are still counted.
        ai: usage,
      });
      expect(fallbacks).toEqual([
        { orderId: GRAY_CONTEXT.order.orderId, reason, provider: 'bedrock', model: 'amazon.nova-micro-v1:0', message: expect.any(String) as unknown },
      ]);
    });

    it('an analyst that throws synchronously is an error, not a failed order', async () => {
      const analyst: AiAnalyst = {
        provider: 'openai',
        model: 'llama3.1:8b',
        analyse: () => {
          throw new TypeError('cannot read properties of undefined');
        },
      };
      await expect(screener(analyst).screen(GRAY_CONTEXT)).resolves.toMatchObject({ status: 'PENDING_REVIEW', screening: { fallback: 'error', aiProvider: 'openai' } });
    });

    it('stops waiting for an analyst that ignores its own timeout', async () => {
      const analyst = new ScriptedAnalyst(() => new Promise<AiVerdict>(() => undefined));
      const started = performance.now();
      const outcome = await screener(analyst, 'gray-zone', 50).screen(GRAY_CONTEXT);
      const elapsed = performance.now() - started;
      expect(outcome).toMatchObject({ status: 'PENDING_REVIEW', score: 5.8, screening: { fallback: 'timeout' }, ai: null });
      expect(elapsed).toBeGreaterThanOrEqual(50 + AI_GUARD_GRACE_MS - 5);
      expect(elapsed).toBeLessThan(50 + AI_GUARD_GRACE_MS + 150);
    });
  });
});
