import type { CostMetricsBody } from '../../src/domain/order/order.js';
import { validOrderBody } from '../fixtures/valid-order.js';
import {
  BEDROCK_ERRORS,
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
import { startTestApi, type ApiResponse, type TestApi } from '../support/test-api.js';

/**
 * The order API with AI_PROVIDER=bedrock and =openai, wired by the composition root from the
 * environment exactly as deployed, against local servers speaking Converse and chat completions.
 * Checks the decision, screening, costMetrics (Bedrock tokens priced from the catalog) and what is
 * stored, for every AI_MODE and every way the model can fail.
 */

const AI_TIMEOUT_MS = 400;
/** A fallback answer may come this much later than AI_TIMEOUT_MS (socket teardown, the write, HTTP). */
const TIMEOUT_MARGIN_MS = 300;
const NOVA_MICRO = 'amazon.nova-micro-v1:0';
const LLAMA = 'llama3.1:8b';
const TOKENS = { inputTokens: 1_000, outputTokens: 200 };
/** From the price catalog: Nova Micro $0.035 per 1M input tokens, $0.14 per 1M output tokens. */
const NOVA_MICRO_COST_FOR_TOKENS = (1_000 * 0.035 + 200 * 0.14) / 1_000_000;

const today = (): string => new Date().toISOString().slice(0, 10);

/** Rules: new customer, large electronics order, reserved domain: 6, in the review band. */
function grayOrder(orderId: string): Record<string, unknown> {
  return validOrderBody({
    orderId,
    customerId: `CUST-${orderId}`,
    items: [{ productId: 'SKU-9', name: 'Gaming Laptop', quantity: 1, price: 1899.99, category: 'electronics' }],
    totalAmount: 1899.99,
  });
}
/** Rules: 7.2, approved. */
function approvedOrder(orderId: string): Record<string, unknown> {
  return validOrderBody({ orderId, customerId: `CUST-${orderId}`, cardLast4: '1881' });
}
/** Rules: bulk gift cards for a new customer, rejected outright. */
function giftCardOrder(orderId: string): Record<string, unknown> {
  return validOrderBody({
    orderId,
    customerId: `CUST-${orderId}`,
    cardLast4: '6666',
    items: [{ productId: 'GC-100', name: 'Amazon Gift Card', quantity: 50, price: 100 }],
    totalAmount: 5000,
  });
}

function costMetrics(response: ApiResponse): CostMetricsBody {
  return response.body.costMetrics as CostMetricsBody;
}

function expectTotalIsTheSum(metrics: CostMetricsBody): void {
  const parts = metrics.bedrockCost + metrics.lambdaCost + metrics.dynamodbCost + metrics.s3Cost + metrics.snsCost + metrics.apiGatewayCost + metrics.cloudwatchCost;
  expect(metrics.totalProcessingCost).toBeCloseTo(parts, 9);
}

let bedrock: FakeBedrockServer;
let openai: FakeAiServer & { baseUrl: string };
let api: TestApi | undefined;
/** The EMF documents the handler emitted (one per request), instead of standard output. */
let emf: Array<Record<string, unknown>> = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  bedrock = await startFakeBedrockServer();
  openai = await startFakeOpenAiServer({ apiKey: 'sk-test-123' });
  // The Bedrock client takes credentials from the SDK's default chain, as in Lambda.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: FAKE_AWS_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: FAKE_AWS_CREDENTIALS.secretAccessKey });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_BEARER_TOKEN_BEDROCK;
});
afterAll(async () => {
  process.env = savedEnv;
  await bedrock.close();
  await openai.close();
});
beforeEach(() => {
  bedrock.reset();
  openai.reset();
});
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

function bedrockEnv(mode: string, endpoint = bedrock.endpoint): Record<string, string> {
  return { AI_PROVIDER: 'bedrock', AI_MODE: mode, AI_TIMEOUT_MS: String(AI_TIMEOUT_MS), AWS_ENDPOINT_URL_BEDROCK_RUNTIME: endpoint };
}
function openaiEnv(mode: string, baseUrl = openai.baseUrl): Record<string, string> {
  return { AI_PROVIDER: 'openai', AI_MODE: mode, AI_TIMEOUT_MS: String(AI_TIMEOUT_MS), OPENAI_BASE_URL: baseUrl, OPENAI_MODEL: LLAMA, OPENAI_API_KEY: 'sk-test-123' };
}

async function start(env: Record<string, string>): Promise<TestApi> {
  emf = [];
  api = await startTestApi(env, { metricsSink: (document) => emf.push(document as Record<string, unknown>) });
  return api;
}

async function todaysRollup(testApi: TestApi): Promise<Record<string, number>> {
  const [rollup] = await testApi.runtime.store.getRollups(today(), today());
  return rollup?.counters ?? {};
}

function promptOf(request: RecordedRequest | undefined): string {
  return request?.rawBody ?? '';
}

describe('AI_PROVIDER=bedrock through the order API', () => {
  it('gray-zone: asks Bedrock about the review-band order only, blends its verdict, prices and stores its tokens', async () => {
    const testApi = await start(bedrockEnv('gray-zone'));
    bedrock.replyAlways(answer(verdictJson({ score: 9, decision: 'APPROVED', confidence: 1 }), TOKENS));

    const gray = await testApi.post('/orders', grayOrder('AI-BR-GRAY-1'));
    expect(gray.status).toBe(200);
    expect(gray.body).toMatchObject({
      orderId: 'AI-BR-GRAY-1',
      status: 'APPROVED',
      // Rules 6 blended half and half with the model's 9 (confidence 1): 7.5.
      aiScore: 7.5,
      rejectionReasons: [],
      screening: { engine: 'ai', aiProvider: 'bedrock', model: NOVA_MICRO, fallback: null },
    });
    const metrics = costMetrics(gray);
    expect(metrics.bedrockTokensUsed).toBe(1_200);
    expect(metrics.bedrockCost).toBeCloseTo(NOVA_MICRO_COST_FOR_TOKENS, 12);
    expect(metrics.bedrockCost).toBe(0.000063);
    expectTotalIsTheSum(metrics);

    // What went over the wire: the model, the token cap, the order facts with the email masked.
    expect(bedrock.modelIds()).toEqual([NOVA_MICRO]);
    const [request] = bedrock.requests;
    expect(request?.json).toMatchObject({ inferenceConfig: { maxTokens: 400, temperature: 0 } });
    expect(promptOf(request)).toContain('\\"customerEmail\\":\\"j***@example.com\\"');
    expect(promptOf(request)).toContain('Gaming Laptop');
    expect(promptOf(request)).toContain('RULES SCORE: 6 ');
    expect(promptOf(request)).not.toContain('jane.miller');

    // Stored with the order: the provider's own token counts, the same costs on GET, the rollup.
    const stored = await testApi.runtime.store.getOrder('AI-BR-GRAY-1');
    expect(stored.value?.usage.ai).toEqual({ provider: 'bedrock', model: NOVA_MICRO, ...TOKENS });
    expect(stored.value?.costNanos.bedrock).toBe(63_000);
    const view = await testApi.get('/orders/AI-BR-GRAY-1');
    expect(view.body).toMatchObject({ status: 'APPROVED', aiScore: 7.5, screening: { engine: 'ai' }, costMetrics: metrics });

    // Approved and outright-rejected orders are not the model's to judge in gray-zone mode.
    const approved = await testApi.post('/orders', approvedOrder('AI-BR-OK-1'));
    expect(approved.body).toMatchObject({ status: 'APPROVED', aiScore: 7.2, screening: { engine: 'rules', aiProvider: 'bedrock', model: NOVA_MICRO, fallback: null } });
    expect(costMetrics(approved)).toMatchObject({ bedrockTokensUsed: 0, bedrockCost: 0 });
    const gift = await testApi.post('/orders', giftCardOrder('AI-BR-GIFT-1'));
    expect(gift.body).toMatchObject({ status: 'REJECTED', screening: { engine: 'rules', fallback: null } });
    expect(bedrock.requests).toHaveLength(1);

    expect(await todaysRollup(testApi)).toMatchObject({ ordersTotal: 3, aiCalls: 1, aiFallbacks: 0, aiInputTokens: 1_000, aiOutputTokens: 200, costBedrockNanos: 63_000 });
    expect(emf[0]).toMatchObject({ status: 'APPROVED', AiCalls: 1, AiTokens: 1_200 });
    expect(emf[1]).not.toHaveProperty('AiCalls');

    // A replay answers from the store: no second model call, no second charge.
    const replay = await testApi.post('/orders', grayOrder('AI-BR-GRAY-1'));
    expect(replay.headers.get('idempotent-replay')).toBe('true');
    expect(replay.body).toEqual(gray.body);
    expect(bedrock.requests).toHaveLength(1);
  });

  it("always: asks for every order; the model can send an approved order to review, never lift an outright rejection", async () => {
    const testApi = await start(bedrockEnv('always'));
    bedrock.replyNext(
      answer(verdictJson({ score: 5, risk_level: 'MEDIUM', decision: 'PENDING_REVIEW', confidence: 0.8, fraud_indicators: ['shipping to a freight forwarder'] }), TOKENS),
      answer(verdictJson({ score: 10, decision: 'APPROVED', confidence: 1 }), { inputTokens: 700, outputTokens: 50 }),
    );

    const approved = await testApi.post('/orders', approvedOrder('AI-BR-ALWAYS-1'));
    expect(approved.body).toMatchObject({
      status: 'PENDING_REVIEW',
      // 7.2 x 0.6 + 5 x 0.4 = 6.32 -> 6.3
      aiScore: 6.3,
      screening: { engine: 'ai', aiProvider: 'bedrock', model: NOVA_MICRO, fallback: null },
    });
    expect(approved.body.rejectionReasons).toContain('AI analyst: shipping to a freight forwarder');
    expect(costMetrics(approved)).toMatchObject({ bedrockTokensUsed: 1_200, bedrockCost: 0.000063 });

    const gift = await testApi.post('/orders', giftCardOrder('AI-BR-ALWAYS-2'));
    expect(gift.body).toMatchObject({ status: 'REJECTED', screening: { engine: 'ai' } });
    // 700 x $0.035/1M + 50 x $0.14/1M = $0.0000245 + $0.000007
    expect(costMetrics(gift)).toMatchObject({ bedrockTokensUsed: 750, bedrockCost: 0.0000315 });
    expect(bedrock.requests).toHaveLength(2);
    expect(await todaysRollup(testApi)).toMatchObject({ aiCalls: 2, aiInputTokens: 1_700, aiOutputTokens: 250, costBedrockNanos: 94_500 });
  });

  it('never: the rules decide every order and Bedrock is never called', async () => {
    const testApi = await start(bedrockEnv('never'));
    const gray = await testApi.post('/orders', grayOrder('AI-BR-NEVER-1'));
    expect(gray.body).toMatchObject({ status: 'PENDING_REVIEW', aiScore: 6, screening: { engine: 'rules', aiProvider: 'bedrock', model: NOVA_MICRO, fallback: null } });
    expect(costMetrics(gray)).toMatchObject({ bedrockTokensUsed: 0, bedrockCost: 0 });
    expect(bedrock.requests).toHaveLength(0);
    expect(await todaysRollup(testApi)).toMatchObject({ aiCalls: 0, aiFallbacks: 0 });
  });

  it('reads a fenced answer with prose around it', async () => {
    const testApi = await start(bedrockEnv('gray-zone'));
    bedrock.replyAlways(answer(`Here is my analysis:\n\`\`\`json\n${verdictJson({ score: 1, decision: 'REJECTED', confidence: 0.9, fraud_indicators: ['mule address'] })}\n\`\`\`\nDone.`, TOKENS));
    const response = await testApi.post('/orders', grayOrder('AI-BR-FENCE-1'));
    // 6 x 0.55 + 1 x 0.45 = 3.75 -> 3.8
    expect(response.body).toMatchObject({ status: 'REJECTED', aiScore: 3.8, screening: { engine: 'ai', fallback: null } });
    expect(response.body.rejectionReasons).toContain('AI analyst: mule address');
  });
});

interface FallbackCase {
  label: string;
  reply: ScriptedReply | 'refused';
  fallback: string;
  /** Tokens the provider billed even though the answer was unusable. */
  tokens: number;
}

const FALLBACKS: Record<'bedrock' | 'openai', FallbackCase[]> = {
  bedrock: [
    { label: '429 ThrottlingException', reply: BEDROCK_ERRORS.throttling, fallback: 'throttled', tokens: 0 },
    { label: '500 InternalServerException', reply: BEDROCK_ERRORS.internal, fallback: 'error', tokens: 0 },
    { label: 'a score of 140', reply: answer(verdictJson({ score: 140 }), TOKENS), fallback: 'unparsable', tokens: 1_200 },
    { label: 'missing fields', reply: answer('{"risk_level": "LOW"}', TOKENS), fallback: 'unparsable', tokens: 1_200 },
    { label: 'a hanging server', reply: { kind: 'hang' }, fallback: 'timeout', tokens: 0 },
    { label: 'a refused connection', reply: 'refused', fallback: 'error', tokens: 0 },
  ],
  openai: [
    { label: '429 rate limit', reply: OPENAI_ERRORS.rateLimited, fallback: 'throttled', tokens: 0 },
    { label: '500 server error', reply: OPENAI_ERRORS.server, fallback: 'error', tokens: 0 },
    { label: 'a score of -5', reply: answer(verdictJson({ score: -5 }), TOKENS), fallback: 'unparsable', tokens: 1_200 },
    { label: 'missing fields', reply: answer('{"decision": "APPROVED"}', TOKENS), fallback: 'unparsable', tokens: 1_200 },
    { label: 'a hanging server', reply: { kind: 'hang' }, fallback: 'timeout', tokens: 0 },
    { label: 'a refused connection', reply: 'refused', fallback: 'error', tokens: 0 },
  ],
};

describe.each(['bedrock', 'openai'] as const)('AI_PROVIDER=%s fallbacks: the rules decision stands, the order never fails', (provider) => {
  it.each(FALLBACKS[provider].map((testCase) => [testCase.label, testCase] as const))('%s', async (_label, testCase) => {
    const server = provider === 'bedrock' ? bedrock : openai;
    let env: Record<string, string>;
    if (testCase.reply === 'refused') {
      const url = await closedPortUrl();
      env = provider === 'bedrock' ? bedrockEnv('gray-zone', url) : openaiEnv('gray-zone', `${url}/v1`);
    } else {
      server.replyAlways(testCase.reply);
      env = provider === 'bedrock' ? bedrockEnv('gray-zone') : openaiEnv('gray-zone');
    }
    const testApi = await start(env);

    const started = performance.now();
    const response = await testApi.post('/orders', grayOrder(`AI-FB-${provider}-1`));
    const elapsed = performance.now() - started;

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'PENDING_REVIEW',
      aiScore: 6,
      screening: { engine: 'rules', aiProvider: provider, model: provider === 'bedrock' ? NOVA_MICRO : LLAMA, fallback: testCase.fallback },
    });
    expect(response.body.rejectionReasons).not.toEqual(expect.arrayContaining([expect.stringMatching(/^AI analyst/)]));
    expect(JSON.stringify(response.body)).not.toMatch(/Exception|ECONNREFUSED|stack/);
    const metrics = costMetrics(response);
    expect(metrics.bedrockTokensUsed).toBe(testCase.tokens);
    // Bedrock bills the tokens of an unusable answer; a self-hosted OpenAI-compatible model is no AWS charge.
    expect(metrics.bedrockCost).toBe(provider === 'bedrock' && testCase.tokens > 0 ? 0.000063 : 0);
    expectTotalIsTheSum(metrics);
    expect(elapsed).toBeLessThan(AI_TIMEOUT_MS + TIMEOUT_MARGIN_MS);
    if (testCase.fallback === 'timeout') expect(elapsed).toBeGreaterThanOrEqual(AI_TIMEOUT_MS - 5);

    const stored = await testApi.get(`/orders/AI-FB-${provider}-1`);
    expect(stored.body).toMatchObject({ status: 'PENDING_REVIEW', screening: { fallback: testCase.fallback } });
    expect(await todaysRollup(testApi)).toMatchObject({ ordersTotal: 1, pendingReview: 1, aiCalls: 1, aiFallbacks: 1 });
    expect(emf[0]).toMatchObject({ status: 'PENDING_REVIEW', AiCalls: 1, AiFallbacks: 1 });
  });
});

describe('AI_PROVIDER=openai through the order API', () => {
  it('gray-zone: asks the OpenAI-compatible server with its key, blends the verdict; tokens stored, no AWS token cost', async () => {
    const testApi = await start(openaiEnv('gray-zone'));
    openai.replyAlways(answer(`Sure. ${verdictJson({ score: 9, decision: 'APPROVED', confidence: 1 })}`, TOKENS));

    const gray = await testApi.post('/orders', grayOrder('AI-OA-GRAY-1'));
    expect(gray.body).toMatchObject({ status: 'APPROVED', aiScore: 7.5, screening: { engine: 'ai', aiProvider: 'openai', model: LLAMA, fallback: null } });
    expect(costMetrics(gray)).toMatchObject({ bedrockTokensUsed: 1_200, bedrockCost: 0 });
    expectTotalIsTheSum(costMetrics(gray));

    const [request] = openai.requests;
    expect(request?.headers.authorization).toBe('Bearer sk-test-123');
    expect(request?.json).toMatchObject({ model: LLAMA, max_tokens: 400, temperature: 0 });
    expect(promptOf(request)).toContain('\\"customerEmail\\":\\"j***@example.com\\"');
    expect(promptOf(request)).toContain('\\"totalAmount\\":1899.99');

    const stored = await testApi.runtime.store.getOrder('AI-OA-GRAY-1');
    expect(stored.value?.usage.ai).toEqual({ provider: 'openai', model: LLAMA, ...TOKENS });
    expect(stored.value?.costNanos.bedrock).toBe(0);

    const approved = await testApi.post('/orders', approvedOrder('AI-OA-OK-1'));
    expect(approved.body).toMatchObject({ status: 'APPROVED', screening: { engine: 'rules', aiProvider: 'openai' } });
    expect(openai.requests).toHaveLength(1);
    expect(await todaysRollup(testApi)).toMatchObject({ aiCalls: 1, aiInputTokens: 1_000, aiOutputTokens: 200, costBedrockNanos: 0 });
  });

  it('always: every order goes to the model', async () => {
    const testApi = await start(openaiEnv('always'));
    await testApi.post('/orders', approvedOrder('AI-OA-ALWAYS-1'));
    await testApi.post('/orders', grayOrder('AI-OA-ALWAYS-2'));
    await testApi.post('/orders', giftCardOrder('AI-OA-ALWAYS-3'));
    expect(openai.requests).toHaveLength(3);
  });

  it('never: no request reaches the server', async () => {
    const testApi = await start(openaiEnv('never'));
    const response = await testApi.post('/orders', grayOrder('AI-OA-NEVER-1'));
    expect(response.body).toMatchObject({ status: 'PENDING_REVIEW', screening: { engine: 'rules', fallback: null } });
    expect(openai.requests).toHaveLength(0);
  });
});
