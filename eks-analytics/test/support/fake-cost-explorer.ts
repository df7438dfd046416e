import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays } from '../../src/domain/date-range.js';

/**
 * A local Cost Explorer speaking its wire protocol (AWS JSON 1.1: POST / with
 * `X-Amz-Target: AWSInsightsIndexService.<Operation>`, JSON in and out, errors as HTTP 400 with
 * `{"__type": "...", "message": "..."}`), for the real CostExplorerClient with an endpoint override
 * and dummy credentials. It records every request, answers GetCostAndUsage from `usage` (filtered by
 * the request's time period, End exclusive, and by its tag filter; `pageSize` days per page, with
 * NextPageToken) and GetCostForecast from `forecastAnswer`. `failNext` queues error answers.
 */

export const TARGET_PREFIX = 'AWSInsightsIndexService.';

export interface UsageRow {
  day: string;
  service: string;
  /** Decimal text, as Cost Explorer sends it. */
  amount: string;
  unit?: string;
  /** The cost-allocation tag of the row; default project=orderops. */
  tag?: { key: string; value: string };
  estimated?: boolean;
}

export interface RecordedRequest {
  operation: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeAnswer {
  /** Only for this operation (GetCostAndUsage, GetCostForecast); any when omitted. */
  operation?: string;
  status: number;
  /** JSON-serialised unless a string (sent as is: garbage). */
  body: unknown;
}

export function awsError(type: string, message: string, status = 400): Omit<FakeAnswer, 'operation'> {
  return { status, body: { __type: type, message } };
}

export const THROTTLED = awsError('LimitExceededException', 'Rate exceeded');
export const DATA_UNAVAILABLE = awsError('DataUnavailableException', 'Insufficient amount of historical data to generate forecast.');

interface TagFilter {
  Key?: string;
  Values?: string[];
}

function tagFilterOf(body: Record<string, unknown>): TagFilter | null {
  const filter = body.Filter as { Tags?: TagFilter } | undefined;
  return filter?.Tags ?? null;
}

export class FakeCostExplorer {
  readonly requests: RecordedRequest[] = [];
  usage: UsageRow[] = [];
  /** Days of ResultsByTime per page. */
  pageSize = 31;
  /** The GetCostForecast answer (the response body). */
  forecastAnswer: unknown = {
    Total: { Amount: '42.1234567891', Unit: 'USD' },
    ForecastResultsByTime: [
      { TimePeriod: { Start: '2026-11-25', End: '2026-12-01' }, MeanValue: '8.5', PredictionIntervalLowerBound: '7.25', PredictionIntervalUpperBound: '9.75' },
      { TimePeriod: { Start: '2026-12-01', End: '2026-12-25' }, MeanValue: '33.6234567891', PredictionIntervalLowerBound: '30.0000000001', PredictionIntervalUpperBound: '38.5' },
    ],
  };
  /** Error (or any) answers served before the normal ones, first matching first. */
  private readonly queued: FakeAnswer[] = [];
  private server: Server | null = null;

  /** Queues `answer` for the next `times` requests (of `operation`, or any). */
  failNext(answer: Omit<FakeAnswer, 'operation'>, options: { operation?: string; times?: number } = {}): void {
    for (let i = 0; i < (options.times ?? 1); i++) this.queued.push({ ...answer, ...(options.operation === undefined ? {} : { operation: options.operation }) });
  }

  clearQueued(): void {
    this.queued.length = 0;
  }

  requestsOf(operation: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === operation);
  }

  /** Listens on 127.0.0.1 on a free port; resolves the endpoint URL. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `fake-${this.requests.length}` });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      send(400, { __type: 'UnknownOperationException', message: `unexpected ${request.method ?? ''} ${target}` });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      send(400, { __type: 'SerializationException', message: 'body is not JSON' });
      return;
    }
    const operation = target.slice(TARGET_PREFIX.length);
    this.requests.push({ operation, headers: request.headers, body });

    const index = this.queued.findIndex((answer) => answer.operation === undefined || answer.operation === operation);
    if (index >= 0) {
      const [answer] = this.queued.splice(index, 1);
      if (answer) send(answer.status, answer.body);
      return;
    }
    if (operation === 'GetCostAndUsage') send(200, this.costAndUsage(body));
    else if (operation === 'GetCostForecast') send(200, this.forecastAnswer);
    else send(400, { __type: 'UnknownOperationException', message: `unknown operation ${operation}` });
  }

  private costAndUsage(body: Record<string, unknown>): Record<string, unknown> {
    const period = body.TimePeriod as { Start: string; End: string };
    const metric = (body.Metrics as string[])[0] ?? 'UnblendedCost';
    const tag = tagFilterOf(body);
    const days: string[] = [];
    for (let day = period.Start; day < period.End; day = addDays(day, 1)) days.push(day);
    const first = typeof body.NextPageToken === 'string' ? Number(body.NextPageToken.replace('page-', '')) : 0;
    const pageDays = days.slice(first, first + this.pageSize);
    const rows = this.usage.filter((row) => {
      const rowTag = row.tag ?? { key: 'project', value: 'orderops' };
      return tag === null || (rowTag.key === tag.Key && (tag.Values ?? []).includes(rowTag.value));
    });
    const ResultsByTime = pageDays.map((day) => {
      const ofDay = rows.filter((row) => row.day === day);
      return {
        TimePeriod: { Start: day, End: addDays(day, 1) },
        Total: {},
        // One group per service and day, as Cost Explorer sends them (the test data gives one row per service and day).
        Groups: ofDay.map((row) => ({ Keys: [row.service], Metrics: { [metric]: { Amount: row.amount, Unit: row.unit ?? 'USD' } } })),
        Estimated: ofDay.some((row) => row.estimated === true),
      };
    });
    const next = first + this.pageSize;
    return {
      GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      ResultsByTime,
      DimensionValueAttributes: [],
      ...(next < days.length ? { NextPageToken: `page-${next}` } : {}),
    };
  }
}
