import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

/**
 * Two small HTTP servers on 127.0.0.1 (random port) speaking the AI providers' wire protocols, for
 * the REAL clients (BedrockRuntimeClient with an endpoint override and static dummy credentials; the
 * fetch-based OpenAI-compatible client):
 * - Bedrock Runtime Converse: POST /model/{modelId}/converse, SigV4-signed JSON, answered with the
 *   Converse output (message, stopReason, usage, metrics) or an AWS JSON error (x-amzn-ErrorType).
 * - OpenAI chat completions: POST /v1/chat/completions, answered with a chat.completion (usage
 *   prompt_tokens / completion_tokens) or an OpenAI error body ({error: {message, type, code}}).
 * Each is scripted per test (answer text, status, token usage, a delay, a hang or garbage) and
 * records every request it got, so tests can assert what was sent. Bedrock's server speaks HTTP/2
 * (cleartext), because the real BedrockRuntimeClient does; the OpenAI-compatible one HTTP/1.1.
 */

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What the server answers to one request. */
export type ScriptedReply =
  /** A model answer (200) with this text; usage null leaves the usage block out of the answer. */
  | { kind: 'answer'; text: string; usage?: TokenUsage | null; delayMs?: number }
  /** A protocol error: for Bedrock `type` is the x-amzn-ErrorType; for OpenAI the error.type/code. */
  | { kind: 'error'; status: number; type: string; message: string; delayMs?: number }
  /** A body that is not what the protocol promises (e.g. a proxy's HTML page), with this status. */
  | { kind: 'garbage'; status: number; body: string; delayMs?: number }
  /** Never answers (until the test server closes). */
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as it arrived (still URL-encoded). */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON, or null when it was not JSON. */
  json: Record<string, unknown> | null;
}

export interface FakeAiServer {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Every request received, in arrival order (including those answered with an error). */
  requests: RecordedRequest[];
  /** The reply for every request after the queued ones are used up (a verdict answer by default). */
  replyAlways(reply: ScriptedReply): void;
  /** Replies used once each, in order, before the default. */
  replyNext(...replies: ScriptedReply[]): void;
  /** Back to the default answer with an empty queue and no recorded requests; hanging requests are dropped. */
  reset(): void;
  close(): Promise<void>;
}

/** Tokens reported when a test does not script them (both servers). */
export const DEFAULT_USAGE: TokenUsage = { inputTokens: 812, outputTokens: 96 };

/** A clean verdict in the requested JSON shape. */
export function verdictJson(fields: Partial<Record<'score' | 'risk_level' | 'decision' | 'confidence' | 'fraud_indicators' | 'reasoning' | 'recommendations', unknown>> = {}): string {
  return JSON.stringify({
    score: 8.6,
    risk_level: 'LOW',
    decision: 'APPROVED',
    confidence: 0.9,
    fraud_indicators: [],
    reasoning: 'Consistent customer, address and basket.',
    recommendations: [],
    ...fields,
  });
}

export function answer(text: string, usage: TokenUsage | null = DEFAULT_USAGE, delayMs = 0): ScriptedReply {
  return { kind: 'answer', text, usage, delayMs };
}

interface Wire {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Protocol = (request: RecordedRequest, reply: Exclude<ScriptedReply, { kind: 'hang' }>) => Wire;

/** One request as either transport delivers it. */
interface Exchange {
  request: RecordedRequest;
  respond(wire: Wire): void;
  /** Drops the request without an answer (a hang ends when the test server resets or closes). */
  drop(): void;
}

function recordedRequest(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders, rawBody: string): RecordedRequest {
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { method: method ?? '', path: (url ?? '').split('?')[0] ?? '', headers, rawBody, json };
}

function readBody(request: http.IncomingMessage | http2.Http2ServerRequest, done: (rawBody: string) => void): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
}

interface Listening {
  endpoint: string;
  close(): Promise<void>;
}

/** HTTP/1.1, as OpenAI-compatible servers speak it to fetch. */
async function listenHttp1(onExchange: (exchange: Exchange) => void): Promise<Listening> {
  const server = http.createServer((request, response) => {
    readBody(request, (rawBody) =>
      onExchange({
        request: recordedRequest(request.method, request.url, request.headers, rawBody),
        respond: (wire) => {
          if (!response.destroyed) response.writeHead(wire.status, { 'content-type': 'application/json', ...wire.headers }).end(wire.body);
        },
        drop: () => response.destroy(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * HTTP/2 over cleartext (prior knowledge), as BedrockRuntimeClient speaks it: its default request
 * handler is the SDK's HTTP/2 handler (the service is HTTP/2 behind TLS; an http:// endpoint gets h2c).
 */
async function listenHttp2(onExchange: (exchange: Exchange) => void): Promise<Listening> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('request', (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => {
    readBody(request, (rawBody) =>
      onExchange({
        request: recordedRequest(request.method, request.url, request.headers, rawBody),
        respond: (wire) => {
          if (!response.stream.destroyed) response.writeHead(wire.status, { 'content-type': 'application/json', ...wire.headers }).end(wire.body);
        },
        drop: () => response.stream.close(http2.constants.NGHTTP2_CANCEL),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function startScriptedServer(protocol: Protocol, transport: 'http1' | 'h2c'): Promise<FakeAiServer> {
  const requests: RecordedRequest[] = [];
  const defaultReply = (): ScriptedReply => answer(verdictJson());
  let always: ScriptedReply = defaultReply();
  let queue: ScriptedReply[] = [];
  const held = new Set<Exchange>();
  const timers = new Set<NodeJS.Timeout>();

  const onExchange = (exchange: Exchange): void => {
    requests.push(exchange.request);
    const reply = queue.shift() ?? always;
    if (reply.kind === 'hang') {
      held.add(exchange);
      return;
    }
    const send = (): void => exchange.respond(protocol(exchange.request, reply));
    if (!reply.delayMs) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, reply.delayMs);
    timers.add(timer);
  };
  const listening = await (transport === 'h2c' ? listenHttp2(onExchange) : listenHttp1(onExchange));
  const dropHeld = (): void => {
    for (const exchange of held) exchange.drop();
    held.clear();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };

  return {
    endpoint: listening.endpoint,
    requests,
    replyAlways(reply) {
      always = reply;
    },
    replyNext(...replies) {
      queue.push(...replies);
    },
    reset() {
      dropHeld();
      always = defaultReply();
      queue = [];
      requests.length = 0;
    },
    async close() {
      dropHeld();
      await listening.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Bedrock Runtime Converse

/** Credentials the Bedrock test client signs with (any static pair works; the server checks the form). */
export const FAKE_AWS_CREDENTIALS = { accessKeyId: 'AKIDFAKEBEDROCK', secretAccessKey: 'fake-bedrock-secret' };

/** Bedrock's documented errors (status and x-amzn-ErrorType), as the service sends them. */
export const BEDROCK_ERRORS = {
  throttling: { kind: 'error', status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
  quota: { kind: 'error', status: 400, type: 'ServiceQuotaExceededException', message: 'Your request exceeds the service quota for your account.' },
  modelNotReady: { kind: 'error', status: 429, type: 'ModelNotReadyException', message: 'Model is not ready to serve inference requests.' },
  internal: { kind: 'error', status: 500, type: 'InternalServerException', message: 'An internal server error occurred. Retry your request.' },
  unavailable: { kind: 'error', status: 503, type: 'ServiceUnavailableException', message: 'The service is currently unavailable.' },
  modelTimeout: { kind: 'error', status: 408, type: 'ModelTimeoutException', message: 'Model has timed out in processing the request.' },
  validation: { kind: 'error', status: 400, type: 'ValidationException', message: 'The provided model identifier is invalid.' },
  accessDenied: { kind: 'error', status: 403, type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." },
} as const satisfies Record<string, ScriptedReply>;

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/bedrock\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/;

export interface FakeBedrockServer extends FakeAiServer {
  /** The model ids the requests named, decoded, in arrival order. */
  modelIds(): string[];
  /** A real BedrockRuntimeClient pointed at this server (one attempt, static dummy credentials). */
  client(options?: { region?: string }): BedrockRuntimeClient;
}

function bedrockError(type: string, message: string, status: number): Wire {
  return {
    status,
    headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ message }),
  };
}

const CONVERSE_PATH = /^\/model\/([^/]+)\/converse$/;

function converse(request: RecordedRequest, reply: Exclude<ScriptedReply, { kind: 'hang' }>): Wire {
  // What the service refuses before any model runs.
  if (request.method !== 'POST' || !CONVERSE_PATH.test(request.path)) {
    return bedrockError('UnknownOperationException', `No operation for ${request.method} ${request.path}`, 404);
  }
  if (!SIGV4.test(String(request.headers.authorization ?? ''))) {
    return bedrockError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
  }
  const messages = request.json?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return bedrockError('ValidationException', 'messages must not be empty', 400);

  if (reply.kind === 'error') return bedrockError(reply.type, reply.message, reply.status);
  if (reply.kind === 'garbage') return { status: reply.status, headers: { 'content-type': 'text/html' }, body: reply.body };
  const usage = reply.usage === undefined ? DEFAULT_USAGE : reply.usage;
  const output: Record<string, unknown> = {
    output: { message: { role: 'assistant', content: [{ text: reply.text }] } },
    stopReason: 'end_turn',
    metrics: { latencyMs: 412 },
  };
  if (usage !== null) {
    output.usage = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.inputTokens + usage.outputTokens };
  }
  return { status: 200, headers: { 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(output) };
}

export async function startFakeBedrockServer(): Promise<FakeBedrockServer> {
  const server = await startScriptedServer(converse, 'h2c');
  const clients: BedrockRuntimeClient[] = [];
  return {
    ...server,
    modelIds: () =>
      server.requests.map((request) => decodeURIComponent(CONVERSE_PATH.exec(request.path)?.[1] ?? '')),
    client({ region = 'us-east-1' } = {}) {
      const client = new BedrockRuntimeClient({ region, endpoint: server.endpoint, credentials: FAKE_AWS_CREDENTIALS, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await server.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// OpenAI-compatible chat completions

export const OPENAI_ERRORS = {
  rateLimited: { kind: 'error', status: 429, type: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again in 2s.' },
  server: { kind: 'error', status: 500, type: 'server_error', message: 'The server had an error while processing your request.' },
  overloaded: { kind: 'error', status: 503, type: 'server_error', message: 'The engine is currently overloaded.' },
  modelNotFound: { kind: 'error', status: 404, type: 'model_not_found', message: 'The model `llama3.1:8b` does not exist.' },
} as const satisfies Record<string, ScriptedReply>;

export interface FakeOpenAiOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` are answered 401. */
  apiKey?: string;
  /** Answer 400 to any request carrying response_format (as servers without JSON mode do). */
  rejectResponseFormat?: boolean;
}

function openAiError(status: number, type: string, message: string, extra: Record<string, string> = {}): Wire {
  return { status, headers: extra, body: JSON.stringify({ error: { message, type, param: null, code: type } }) };
}

function chatCompletions(options: FakeOpenAiOptions): Protocol {
  return (request, reply) => {
    if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
      return openAiError(404, 'invalid_request_error', `Unknown request URL: ${request.method} ${request.path}`);
    }
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return openAiError(401, 'invalid_api_key', 'Incorrect API key provided.');
    }
    const body = request.json;
    if (body === null || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      return openAiError(400, 'invalid_request_error', "'model' and 'messages' are required properties");
    }
    if (options.rejectResponseFormat && body.response_format !== undefined) {
      return openAiError(400, 'invalid_request_error', "Unrecognized request argument supplied: response_format");
    }

    if (reply.kind === 'error') return openAiError(reply.status, reply.type, reply.message, reply.status === 429 ? { 'retry-after': '2' } : {});
    if (reply.kind === 'garbage') return { status: reply.status, headers: { 'content-type': 'text/html' }, body: reply.body };
    const usage = reply.usage === undefined ? DEFAULT_USAGE : reply.usage;
    const completion: Record<string, unknown> = {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop' }],
    };
    if (usage !== null) {
      completion.usage = { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
    }
    return { status: 200, headers: {}, body: JSON.stringify(completion) };
  };
}

export async function startFakeOpenAiServer(options: FakeOpenAiOptions = {}): Promise<FakeAiServer & { baseUrl: string }> {
  const server = await startScriptedServer(chatCompletions(options), 'http1');
  return { ...server, baseUrl: `${server.endpoint}/v1` };
}

/** A local port nothing listens on (a server is bound, then closed): connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
