import { createHash } from 'node:crypto';
import type { OrderRequest } from './order.js';

/** JSON with object keys sorted at every level, so equal orders serialise identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The idempotency fingerprint of an order: the same order sent twice (whatever its key order or
 * whitespace) has the same fingerprint; any change in content gives another, which answers 409.
 */
export function requestFingerprint(order: OrderRequest): string {
  return createHash('sha256').update(canonicalJson(order)).digest('hex');
}
