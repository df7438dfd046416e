import { BedrockConverseAnalyst, bedrockRuntimeClient } from '../../src/adapters/bedrock-ai/bedrock-converse-analyst.js';
import { OpenAiChatAnalyst } from '../../src/adapters/openai-ai/openai-chat-analyst.js';
import { AI_MAX_OUTPUT_TOKENS, AiAnalysisFailure, type AiFallbackReason } from '../../src/domain/ai/analysis.js';
import type { AiUsage, OrderRequest, RiskSignal } from '../../src/domain/order/order.js';
import type { AiAnalyst } from '../../src/ports/ai-analyst.js';
import { validOrderBody } from '../fixtures/valid-order.js';
import {
  BEDROCK_ERRORS,
  DEFAULT_USAGE,
  FAKE_AWS_CREDENTIALS,
  OPENAI_ERRORS,
  answer,
  closedPortUrl,
  startFakeBedrockServer,
  startFakeOpenAiServer,
  verdictJson,
  type FakeAiServer,
  type FakeBedrockServer,
  type RecordedRequest,
  type ScriptedReply,
} from '../support/fake-ai-servers.js';

/**
 * Both AI analysts against local servers speaking their wire protocols, through the REAL clients:
 * BedrockRuntimeClient (endpoint override, static dummy credentials, SigV4-signed) and the
 * fetch-based OpenAI-compatible client. One set of cases runs against both; protocol details after.
 */

const THRESHOLDS = { rejectBelow: 4, approveFrom: 7 };
const TIMEOUT_MS = 300;
/** How late after AI_TIMEOUT_MS a timeout may be reported (event loop and socket teardown). */
const TIMEOUT_MARGIN_MS = 200;
const NOVA_MICRO = 'amazon.nova-micro-v1:0';
const LLAMA = 'llama3.1:8b';

const ORDER = validOrderBody({
  orderId: 'ORD-AI-1',
  items: [{ productId: 'SKU-9', name: 'Gaming Laptop', quantity: 1, price: 1899.99, category: 'electronics' }],
  totalAmount: 1899.99,
}) as unknown as OrderRequest;
const SIGNALS: RiskSignal[] = [
  { code: 'CUSTOMER_NEW', points: -0.8, reason: 'New customer: no order history on record (Medium risk)' },
  { code: 'ORDER_VALUE_LARGE', points: -0.7, reason: 'Order value: $1899.99 (Medium risk)' },
];

interface Harness {
  provider: 'bedrock' | 'openai';
  model: string;
  server: FakeAiServer;
  analyst(timeoutMs?: number): AiAnalyst;
  /** The same analyst pointed at a port nothing listens on. */
  refusedAnalyst(url: string): AiAnalyst;
  /** Everything the model was told (system + user text) in one recorded request. */
  promptOf(request: RecordedRequest): string;
  maxTokensOf(request: RecordedRequest): unknown;
}

let bedrock: FakeBedrockServer;
let openai: FakeAiServer & { baseUrl: string };

beforeAll(async () => {
  bedrock = await startFakeBedrockServer();
  openai = await startFakeOpenAiServer({ apiKey: 'sk-test-123' });
});
afterAll(async () => {
  await bedrock.close();
  await openai.close();
});
beforeEach(() => {
  bedrock.reset();
  openai.reset();
});

function texts(blocks: unknown): string {
  return Array.isArray(blocks) ? blocks.map((block) => String((block as { text?: unknown }).text ?? '')).join('\n') : '';
}

const HARNESSES: Array<() => Harness> = [
  () => ({
    provider: 'bedrock',
    model: NOVA_MICRO,
    server: bedrock,
    analyst: (timeoutMs = TIMEOUT_MS) => new BedrockConverseAnalyst({ client: bedrock.client(), modelId: NOVA_MICRO, timeoutMs, thresholds: THRESHOLDS }),
    refusedAnalyst: (url) =>
      new BedrockConverseAnalyst({
        client: bedrockRuntimeClient({ region: 'us-east-1', endpoint: url, credentials: FAKE_AWS_CREDENTIALS }),
        modelId: NOVA_MICRO,
        timeoutMs: TIMEOUT_MS,
        thresholds: THRESHOLDS,
      }),
    promptOf: (request) => {
      const messages = request.json?.messages as Array<{ content?: unknown }> | undefined;
      return `${texts(request.json?.system)}\n${(messages ?? []).map((message) => texts(message.content)).join('\n')}`;
    },
    maxTokensOf: (request) => (request.json?.inferenceConfig as { maxTokens?: unknown } | undefined)?.maxTokens,
  }),
  () => ({
    provider: 'openai',
    model: LLAMA,
    server: openai,
    analyst: (timeoutMs = TIMEOUT_MS) =>
      new OpenAiChatAnalyst({ baseUrl: openai.baseUrl, model: LLAMA, apiKey: 'sk-test-123', timeoutMs, thresholds: THRESHOLDS }),
    refusedAnalyst: (url) => new OpenAiChatAnalyst({ baseUrl: `${url}/v1`, model: LLAMA, apiKey: null, timeoutMs: TIMEOUT_MS, thresholds: THRESHOLDS }),
    promptOf: (request) => ((request.json?.messages as Array<{ content?: unknown }> | undefined) ?? []).map((message) => String(message.content)).join('\n'),
    maxTokensOf: (request) => request.json?.max_tokens,
  }),
];

async function failure(promise: Promise<unknown>): Promise<AiAnalysisFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AiAnalysisFailure) return error;
    throw new Error(`expected an AiAnalysisFailure, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the analysis to fail');
}

describe.each(HARNESSES.map((make) => [make().provider, make] as const))('%s analyst (real client, local wire-protocol server)', (_provider, make) => {
  let h: Harness;
  let usage: AiUsage;
  beforeEach(() => {
    h = make();
    usage = { provider: h.provider, model: h.model, ...DEFAULT_USAGE };
  });

  it('sends the order facts with the email masked, the model, the token cap, and reads a clean JSON verdict', async () => {
    h.server.replyAlways(
      answer(verdictJson({ score: 3.2, risk_level: 'HIGH', decision: 'REJECTED', confidence: 0.85, fraud_indicators: ['first order is a laptop'] }), {
        inputTokens: 1_034,
        outputTokens: 118,
      }),
    );
    const verdict = await h.analyst().analyse(ORDER, SIGNALS, 6);

    expect(verdict).toEqual({
      score: 3.2,
      riskLevel: 'HIGH',
      decision: 'REJECTED',
      confidence: 0.85,
      fraudIndicators: ['first order is a laptop'],
      reasoning: 'Consistent customer, address and basket.',
      recommendations: [],
      usage: { provider: h.provider, model: h.model, inputTokens: 1_034, outputTokens: 118 },
    });
    expect(h.server.requests).toHaveLength(1);
    const [request] = h.server.requests;
    const prompt = h.promptOf(request!);
    expect(prompt).toContain('"customerEmail":"j***@example.com"');
    expect(prompt).toContain('"name":"Gaming Laptop"');
    expect(prompt).toContain('"totalAmount":1899.99');
    expect(prompt).toContain('"code":"ORDER_VALUE_LARGE","points":-0.7');
    expect(prompt).toContain('RULES SCORE: 6 ');
    for (const secret of ['jane.miller', '4242', 'Evergreen', 'CUST-48213']) expect(request!.rawBody).not.toContain(secret);
    expect(h.maxTokensOf(request!)).toBe(AI_MAX_OUTPUT_TOKENS);
  });

  it('reads a ```json fenced answer', async () => {
    h.server.replyAlways(answer('```json\n' + verdictJson({ score: 7.9 }) + '\n```'));
    await expect(h.analyst().analyse(ORDER, SIGNALS, 6)).resolves.toMatchObject({ score: 7.9, decision: 'APPROVED', confidence: 0.9, usage });
  });

  it('reads JSON with prose around it', async () => {
    h.server.replyAlways(answer(`Here is my assessment of the order.\n${verdictJson({ score: 5.1, decision: 'PENDING_REVIEW' })}\nHope that helps!`));
    await expect(h.analyst().analyse(ORDER, SIGNALS, 6)).resolves.toMatchObject({ score: 5.1, decision: 'PENDING_REVIEW', usage });
  });

  it.each([
    ['a score of 140', verdictJson({ score: 140 }), 'score 140 is outside 0-10'],
    ['a score of -5', verdictJson({ score: -5 }), 'score -5 is outside 0-10'],
    ['missing fields', '{"risk_level": "LOW", "reasoning": "fine"}', 'missing score'],
    ['no decision', JSON.stringify({ score: 6, confidence: 0.5 }), 'missing decision'],
    ['prose only', 'I am unable to assess this order.', 'no JSON object in the answer'],
    ['an empty answer', '', 'empty answer'],
  ])('refuses %s as unparsable and keeps the tokens the provider billed', async (_label, text, why) => {
    h.server.replyAlways(answer(text));
    const error = await failure(h.analyst().analyse(ORDER, SIGNALS, 6));
    expect(error.reason).toBe('unparsable');
    expect(error.message).toContain(why);
    expect(error.usage).toEqual(usage);
  });

  it('reports 429 as throttled (one attempt, no retry inside the budget)', async () => {
    h.server.replyAlways(h.provider === 'bedrock' ? BEDROCK_ERRORS.throttling : OPENAI_ERRORS.rateLimited);
    const error = await failure(h.analyst().analyse(ORDER, SIGNALS, 6));
    expect(error.reason).toBe<AiFallbackReason>('throttled');
    expect(error.usage).toBeNull();
    expect(h.server.requests).toHaveLength(1);
  });

  it('reports 500 as error', async () => {
    h.server.replyAlways(h.provider === 'bedrock' ? BEDROCK_ERRORS.internal : OPENAI_ERRORS.server);
    const error = await failure(h.analyst().analyse(ORDER, SIGNALS, 6));
    expect(error.reason).toBe<AiFallbackReason>('error');
    expect(error.message).toMatch(h.provider === 'bedrock' ? /InternalServerException/ : /500/);
    expect(h.server.requests).toHaveLength(1);
  });

  it('reports a 200 with a body that is not the protocol (a proxy page) as error', async () => {
    h.server.replyAlways({ kind: 'garbage', status: 200, body: '<html><body>502 Bad Gateway</body></html>' });
    await expect(failure(h.analyst().analyse(ORDER, SIGNALS, 6))).resolves.toMatchObject({ reason: 'error', usage: null });
  });

  it('gives up on a hanging server at the timeout', async () => {
    h.server.replyAlways({ kind: 'hang' });
    const started = performance.now();
    const error = await failure(h.analyst(TIMEOUT_MS).analyse(ORDER, SIGNALS, 6));
    const elapsed = performance.now() - started;
    expect(error.reason).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + TIMEOUT_MARGIN_MS);
  });

  it('gives up on a server that answers after the timeout', async () => {
    h.server.replyAlways(answer(verdictJson(), DEFAULT_USAGE, TIMEOUT_MS + 400));
    await expect(failure(h.analyst(TIMEOUT_MS).analyse(ORDER, SIGNALS, 6))).resolves.toMatchObject({ reason: 'timeout' });
  });

  it('uses an answer that arrives within the timeout', async () => {
    h.server.replyAlways(answer(verdictJson({ score: 9.1 }), DEFAULT_USAGE, 100));
    await expect(h.analyst(TIMEOUT_MS).analyse(ORDER, SIGNALS, 6)).resolves.toMatchObject({ score: 9.1 });
  });

  it('reports a refused connection as error, fast', async () => {
    const url = await closedPortUrl();
    const started = performance.now();
    const error = await failure(h.refusedAnalyst(url).analyse(ORDER, SIGNALS, 6));
    expect(error.reason).toBe('error');
    expect(error.message).toMatch(/ECONNREFUSED|fetch failed/);
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
  });
});

describe('Bedrock Converse specifics', () => {
  function analyst(modelId = NOVA_MICRO): BedrockConverseAnalyst {
    return new BedrockConverseAnalyst({ client: bedrock.client(), modelId, timeoutMs: 1_000, thresholds: THRESHOLDS });
  }

  it('calls POST /model/{modelId}/converse, SigV4-signed for bedrock, with system, user message and inference settings', async () => {
    await analyst().analyse(ORDER, SIGNALS, 6);
    const [request] = bedrock.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/model/amazon.nova-micro-v1%3A0/converse');
    expect(bedrock.modelIds()).toEqual([NOVA_MICRO]);
    expect(String(request?.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFAKEBEDROCK\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(request?.json).toMatchObject({
      system: [{ text: expect.stringContaining('Answer with ONE JSON object') as unknown }],
      messages: [{ role: 'user', content: [{ text: expect.stringContaining('ORDER: {') as unknown }] }],
      inferenceConfig: { maxTokens: AI_MAX_OUTPUT_TOKENS, temperature: 0 },
    });
  });

  it('uses any Converse model by id, and reports it with the usage', async () => {
    const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
    const verdict = await analyst(haiku).analyse(ORDER, SIGNALS, 6);
    expect(bedrock.modelIds()).toEqual([haiku]);
    expect(verdict.usage).toEqual({ provider: 'bedrock', model: haiku, ...DEFAULT_USAGE });
  });

  it.each<[string, AiFallbackReason, ScriptedReply]>([
    ['ServiceQuotaExceededException', 'throttled', BEDROCK_ERRORS.quota],
    ['ModelNotReadyException', 'error', BEDROCK_ERRORS.modelNotReady],
    ['ServiceUnavailableException', 'error', BEDROCK_ERRORS.unavailable],
    ['ModelTimeoutException', 'timeout', BEDROCK_ERRORS.modelTimeout],
    ['ValidationException', 'error', BEDROCK_ERRORS.validation],
    ['AccessDeniedException', 'error', BEDROCK_ERRORS.accessDenied],
  ])('maps %s to %s', async (type, reason, reply) => {
    bedrock.replyAlways(reply);
    const error = await failure(analyst().analyse(ORDER, SIGNALS, 6));
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(type);
    expect(bedrock.requests).toHaveLength(1);
  });

  it('refuses an answer without token usage (it could not be priced; tokens are never estimated)', async () => {
    bedrock.replyAlways(answer(verdictJson(), null));
    await expect(failure(analyst().analyse(ORDER, SIGNALS, 6))).resolves.toMatchObject({ reason: 'error', usage: null });
  });
});

describe('OpenAI-compatible specifics', () => {
  it('calls POST {base}/chat/completions with the bearer key, the model, JSON mode, temperature 0 and the token cap', async () => {
    const analyst = new OpenAiChatAnalyst({ baseUrl: `${openai.baseUrl}/`, model: LLAMA, apiKey: 'sk-test-123', timeoutMs: 1_000, thresholds: THRESHOLDS });
    await analyst.analyse(ORDER, SIGNALS, 6);
    const [request] = openai.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-test-123');
    expect(request?.json).toMatchObject({
      model: LLAMA,
      temperature: 0,
      max_tokens: AI_MAX_OUTPUT_TOKENS,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: expect.stringContaining('Answer with ONE JSON object') as unknown },
        { role: 'user', content: expect.stringContaining('ORDER: {') as unknown },
      ],
    });
  });

  it('sends no Authorization header without a key (the server then refuses: error, not throttled)', async () => {
    const analyst = new OpenAiChatAnalyst({ baseUrl: openai.baseUrl, model: LLAMA, apiKey: null, timeoutMs: 1_000, thresholds: THRESHOLDS });
    const error = await failure(analyst.analyse(ORDER, SIGNALS, 6));
    expect(openai.requests[0]?.headers.authorization).toBeUndefined();
    expect(error).toMatchObject({ reason: 'error', message: expect.stringContaining('401') as unknown });
  });

  it('drops JSON mode for a server that refuses response_format, once for the life of the analyst', async () => {
    const strict = await startFakeOpenAiServer({ rejectResponseFormat: true });
    try {
      const analyst = new OpenAiChatAnalyst({ baseUrl: strict.baseUrl, model: LLAMA, apiKey: null, timeoutMs: 1_000, thresholds: THRESHOLDS });
      await expect(analyst.analyse(ORDER, SIGNALS, 6)).resolves.toMatchObject({ score: 8.6 });
      await expect(analyst.analyse(ORDER, SIGNALS, 6)).resolves.toMatchObject({ score: 8.6 });
      expect(strict.requests.map((request) => request.json?.response_format !== undefined)).toEqual([true, false, false]);
    } finally {
      await strict.close();
    }
  });

  it('counts 0 tokens when the server reports no usage (never estimated)', async () => {
    openai.replyAlways(answer(verdictJson(), null));
    const analyst = new OpenAiChatAnalyst({ baseUrl: openai.baseUrl, model: LLAMA, apiKey: 'sk-test-123', timeoutMs: 1_000, thresholds: THRESHOLDS });
    await expect(analyst.analyse(ORDER, SIGNALS, 6)).resolves.toMatchObject({ usage: { provider: 'openai', model: LLAMA, inputTokens: 0, outputTokens: 0 } });
  });

  it('reports a 503 overload as error and a 200 JSON that is not an object as error', async () => {
    const analyst = new OpenAiChatAnalyst({ baseUrl: openai.baseUrl, model: LLAMA, apiKey: 'sk-test-123', timeoutMs: 1_000, thresholds: THRESHOLDS });
    openai.replyNext(OPENAI_ERRORS.overloaded, { kind: 'garbage', status: 200, body: '[1, 2, 3]' });
    await expect(failure(analyst.analyse(ORDER, SIGNALS, 6))).resolves.toMatchObject({ reason: 'error', message: expect.stringContaining('503') as unknown });
    await expect(failure(analyst.analyse(ORDER, SIGNALS, 6))).resolves.toMatchObject({ reason: 'error', message: expect.stringContaining('not a JSON object') as unknown });
  });
});
