import { performance } from 'node:perf_hooks';
import type { RequestUnits } from '../domain/costs/usage.js';

/** When a request arrived: wall clock for the record, monotonic clock for the billed duration. */
export interface RequestTiming {
  receivedAt: Date;
  startedAtMs: number;
}

export function startTiming(now: Date = new Date()): RequestTiming {
  return { receivedAt: now, startedAtMs: performance.now() };
}

export function elapsedMs(timing: RequestTiming): number {
  return performance.now() - timing.startedAtMs;
}

/**
 * CloudWatch Logs bytes a request produces. Lambda writes START, END and REPORT platform lines
 * for every invocation (about 330 bytes together, measured from real REPORT lines with X-Ray off);
 * each request emits one EMF metrics line; each structured line the handler logs adds its JSON plus
 * the Powertools envelope (level, timestamp, service, cold start, function name/arn/memory/request
 * id: about 260 bytes).
 */
export const LAMBDA_PLATFORM_LOG_BYTES = 330;
export const POWERTOOLS_ENVELOPE_BYTES = 260;
/**
 * The EMF line of a screened order's metrics (handler/order-metrics.ts): about 380 bytes as Powertools
 * serialises it (a test compares the real line with this figure). Requests refused early emit a smaller one.
 */
export const EMF_LINE_BYTES = 380;

export function logBytesFor(lines: readonly object[]): number {
  let bytes = LAMBDA_PLATFORM_LOG_BYTES + EMF_LINE_BYTES;
  for (const line of lines) bytes += POWERTOOLS_ENVELOPE_BYTES + Buffer.byteLength(JSON.stringify(line));
  return bytes;
}

export function addUnits(...parts: RequestUnits[]): RequestUnits {
  return parts.reduce(
    (sum, part) => ({ readUnits: sum.readUnits + part.readUnits, writeUnits: sum.writeUnits + part.writeUnits }),
    { readUnits: 0, writeUnits: 0 },
  );
}

export const NO_UNITS: RequestUnits = Object.freeze({ readUnits: 0, writeUnits: 0 });
