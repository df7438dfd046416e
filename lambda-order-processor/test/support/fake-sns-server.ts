import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';

/**
 * A local HTTP server speaking the SNS query protocol (API version 2010-03-31) as far as Publish
 * goes: form-encoded POSTs signed with SigV4, answered with the XML PublishResponse or the SNS XML
 * ErrorResponse. Used with the REAL SNSClient (endpoint override, static dummy credentials).
 */

export interface PublishedAttribute {
  dataType: string;
  stringValue?: string;
}

export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  message: string;
  subject: string | null;
  attributes: Record<string, PublishedAttribute>;
  messageGroupId: string | null;
  messageDeduplicationId: string | null;
  /** The form body exactly as it arrived. */
  rawBody: string;
}

export interface SnsErrorReply {
  httpStatus: number;
  type: 'Sender' | 'Receiver';
  code: string;
  message: string;
}

export const SNS_ERRORS = {
  throttling: { httpStatus: 400, type: 'Sender', code: 'Throttling', message: 'Rate exceeded' },
  throttling429: { httpStatus: 429, type: 'Sender', code: 'Throttling', message: 'Rate exceeded' },
  internal: { httpStatus: 500, type: 'Receiver', code: 'InternalError', message: 'An internal service error occurred' },
} satisfies Record<string, SnsErrorReply>;

export interface FakeSnsServer {
  endpoint: string;
  /** Topics that exist; publishing to any other ARN is answered 404 NotFound. */
  topics: Set<string>;
  /** Every successful Publish, in arrival order. */
  published: PublishedMessage[];
  /** Every request received, successful or not. */
  requestCount(): number;
  /** Answers the next `times` requests (every request by default) with this error. */
  fail(reply: SnsErrorReply, times?: number): void;
  /** Answers the next `times` requests (every request by default) 200 with a body that is not XML. */
  answerGarbage(times?: number): void;
  /** Holds every request without answering (until recover or close). */
  hang(): void;
  recover(): void;
  /** A real SNSClient pointed at this server. */
  client(options?: { maxAttempts?: number; region?: string }): SNSClient;
  close(): Promise<void>;
}

export const FAKE_SNS_CREDENTIALS = { accessKeyId: 'AKIDFAKESNS', secretAccessKey: 'fake-sns-secret' };

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function errorXml(reply: Omit<SnsErrorReply, 'httpStatus'>, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${reply.type}</Type><Code>${escapeXml(reply.code)}</Code>` +
    `<Message>${escapeXml(reply.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function invalidParameter(message: string): SnsErrorReply {
  return { httpStatus: 400, type: 'Sender', code: 'InvalidParameter', message: `Invalid parameter: ${message}` };
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` into a map by name. */
function parseAttributes(form: URLSearchParams): { attributes: Record<string, PublishedAttribute> } | { error: SnsErrorReply } {
  const entries = new Map<string, { name?: string; dataType?: string; stringValue?: string }>();
  for (const [field, value] of form) {
    const match = /^MessageAttributes\.entry\.(\d+)\.(Name|Value\.DataType|Value\.StringValue)$/.exec(field);
    if (!match) continue;
    const [, index = '', part] = match;
    const entry = entries.get(index) ?? {};
    if (part === 'Name') entry.name = value;
    else if (part === 'Value.DataType') entry.dataType = value;
    else entry.stringValue = value;
    entries.set(index, entry);
  }
  const attributes: Record<string, PublishedAttribute> = {};
  for (const entry of entries.values()) {
    if (!entry.name) return { error: invalidParameter('MessageAttributes: an entry has no Name') };
    if (!entry.dataType) return { error: invalidParameter(`The message attribute '${entry.name}' must contain a non-empty attribute type.`) };
    if (entry.dataType.startsWith('String') && entry.stringValue === undefined) {
      return { error: invalidParameter(`The message attribute '${entry.name}' must contain non-empty message attribute value.`) };
    }
    attributes[entry.name] = { dataType: entry.dataType, ...(entry.stringValue === undefined ? {} : { stringValue: entry.stringValue }) };
  }
  return { attributes };
}

export async function startFakeSnsServer(topics: string[] = []): Promise<FakeSnsServer> {
  const published: PublishedMessage[] = [];
  const knownTopics = new Set(topics);
  let requests = 0;
  let failure: { reply: SnsErrorReply | 'garbage'; remaining: number } | null = null;
  let hanging = false;
  const held: http.ServerResponse[] = [];
  let sequence = 0n;

  function handle(request: http.IncomingMessage, rawBody: string): { status: number; xml: string } {
    const requestId = randomUUID();
    const reject = (reply: SnsErrorReply): { status: number; xml: string } => ({ status: reply.httpStatus, xml: errorXml(reply, requestId) });

    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      return failure.reply === 'garbage' ? { status: 200, xml: 'upstream connect error or disconnect/reset before headers' } : reject(failure.reply);
    }
    if (request.method !== 'POST') return reject({ httpStatus: 405, type: 'Sender', code: 'InvalidAction', message: 'Only POST is supported' });
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return reject({ httpStatus: 400, type: 'Sender', code: 'MalformedQueryString', message: 'The request must be form-encoded' });
    }
    const authorization = request.headers.authorization ?? '';
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/sns\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/.test(authorization)) {
      return reject({ httpStatus: 403, type: 'Sender', code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' });
    }
    const form = new URLSearchParams(rawBody);
    const action = form.get('Action');
    if (action !== 'Publish') {
      return reject({ httpStatus: 400, type: 'Sender', code: 'InvalidAction', message: `The action ${action ?? '(none)'} is not valid for this endpoint.` });
    }
    if (form.get('Version') !== '2010-03-31') return reject(invalidParameter('Version'));
    const topicArn = form.get('TopicArn');
    if (!topicArn) return reject(invalidParameter('TopicArn or TargetArn Reason: no value for required parameter'));
    if (!knownTopics.has(topicArn)) return reject({ httpStatus: 404, type: 'Sender', code: 'NotFound', message: 'Topic does not exist' });
    const message = form.get('Message');
    if (!message) return reject(invalidParameter('Message'));
    if (Buffer.byteLength(message, 'utf8') > 256 * 1024) return reject(invalidParameter('Message too long'));
    const subject = form.get('Subject');
    if (subject !== null && (subject.length === 0 || subject.length >= 100 || /[^\x20-\x7e]/.test(subject))) {
      return reject(invalidParameter('Subject'));
    }
    const parsed = parseAttributes(form);
    if ('error' in parsed) return reject(parsed.error);
    const messageGroupId = form.get('MessageGroupId');
    const messageDeduplicationId = form.get('MessageDeduplicationId');
    const fifo = topicArn.endsWith('.fifo');
    if (fifo && !messageGroupId) return reject(invalidParameter('The MessageGroupId parameter is required for FIFO topics'));
    if (fifo && !messageDeduplicationId) {
      return reject(invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly'));
    }

    const messageId = randomUUID();
    published.push({
      messageId,
      topicArn,
      message,
      subject,
      attributes: parsed.attributes,
      messageGroupId,
      messageDeduplicationId,
      rawBody,
    });
    sequence += 1n;
    const sequenceXml = fifo ? `<SequenceNumber>${sequence.toString().padStart(20, '1')}</SequenceNumber>` : '';
    return {
      status: 200,
      xml:
        `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${messageId}</MessageId>${sequenceXml}</PublishResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      if (hanging) {
        held.push(response);
        return;
      }
      const { status, xml } = handle(request, Buffer.concat(chunks).toString('utf8'));
      response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }).end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: SNSClient[] = [];

  return {
    endpoint,
    topics: knownTopics,
    published,
    requestCount: () => requests,
    fail(reply, times = Number.POSITIVE_INFINITY) {
      failure = { reply, remaining: times };
    },
    answerGarbage(times = Number.POSITIVE_INFINITY) {
      failure = { reply: 'garbage', remaining: times };
    },
    hang() {
      hanging = true;
    },
    recover() {
      failure = null;
      hanging = false;
      for (const response of held.splice(0)) response.destroy();
    },
    client({ maxAttempts = 1, region = 'us-east-1' } = {}) {
      const client = new SNSClient({ region, endpoint, credentials: FAKE_SNS_CREDENTIALS, maxAttempts });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
