/**
 * DynamoDB request-unit arithmetic (AWS billing rules): a standard write costs 1 WRU per started
 * KB of item size, a transactional write 2; a strongly consistent read 1 RRU per started 4 KB,
 * eventually consistent half of that, transactional 2. The SQLite store uses these to report what
 * the same operation would consume on DynamoDB, so local cost figures match the AWS deployment.
 */

/** UTF-8 byte length without allocating: encoding every string with TextEncoder dominated the cost. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    bytes += code < 0x800 ? 1 : 2;
    // A surrogate pair is 2 UTF-16 units and 4 UTF-8 bytes; a lone surrogate encodes as U+FFFD (3 bytes).
    const next = text.charCodeAt(index + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) index += 1;
  }
  return bytes;
}

function numberSize(value: number): number {
  // DynamoDB stores numbers as up to 38 significant digits, ~1 byte per 2 digits plus 1.
  // Counts the digits between the first and last non-zero digit (no regex: this runs per number).
  const text = String(Math.abs(value));
  let digits = 0;
  let firstSignificant = -1;
  let lastSignificant = -1;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) continue;
    if (code !== 48) {
      if (firstSignificant < 0) firstSignificant = digits;
      lastSignificant = digits;
    }
    digits += 1;
  }
  const significant = firstSignificant < 0 ? 0 : lastSignificant - firstSignificant + 1;
  return Math.ceil(Math.max(1, significant) / 2) + 1;
}

/** Approximate stored size in bytes of a value marshalled as a DynamoDB attribute value. */
export function attributeValueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8Length(value);
  if (typeof value === 'number') return numberSize(value);
  if (value instanceof Uint8Array) return value.length;
  // Plain loops over Object.keys: this runs for every attribute of every item each order writes
  // (issue 6 profile), and Object.entries allocated a pair per attribute.
  if (Array.isArray(value)) {
    let size = 3;
    for (const element of value as unknown[]) size += 1 + attributeValueSize(element);
    return size;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let size = 3;
    for (const name of Object.keys(record)) {
      const element = record[name];
      if (element === undefined) continue;
      size += 1 + utf8Length(name) + attributeValueSize(element);
    }
    return size;
  }
  return 0;
}

/** Size of a whole item: the sum of attribute name lengths and value sizes. */
export function itemSizeBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value === undefined) continue;
    size += utf8Length(name) + attributeValueSize(value);
  }
  return size;
}

export function writeUnitsFor(sizeBytes: number, transactional: boolean): number {
  const units = Math.max(1, Math.ceil(sizeBytes / 1024));
  return transactional ? units * 2 : units;
}

export type ReadConsistency = 'eventual' | 'strong' | 'transactional';

export function readUnitsFor(sizeBytes: number, consistency: ReadConsistency): number {
  const units = Math.max(1, Math.ceil(sizeBytes / 4096));
  if (consistency === 'eventual') return units / 2;
  if (consistency === 'transactional') return units * 2;
  return units;
}
