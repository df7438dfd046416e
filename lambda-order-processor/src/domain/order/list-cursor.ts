/**
 * Keyset pagination of order listings, shared by every store engine: newest first, the cursor is
 * the (day, createdAt, orderId) of the last order returned, opaque to clients (base64url JSON).
 */

/** The largest page a listing returns. */
export const MAX_PAGE_SIZE = 1000;

/** A UTC day, yyyy-mm-dd. */
export const ISO_DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Where a page ended: the listing's sort position of its last order. */
export interface ListCursor {
  day: string;
  createdAt: string;
  orderId: string;
}

/** Throws a RangeError unless `limit` is a whole page size from 1 to MAX_PAGE_SIZE. */
export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
}

export function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.day, cursor.createdAt, cursor.orderId])).toString('base64url');
}

/** The position an opaque cursor names; a RangeError ('Invalid cursor') for anything else. */
export function decodeListCursor(cursor: string): ListCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((part) => typeof part === 'string')) {
    throw new RangeError('Invalid cursor');
  }
  const [day, createdAt, orderId] = parts as [string, string, string];
  if (!ISO_DAY_PATTERN.test(day)) throw new RangeError('Invalid cursor');
  return { day, createdAt, orderId };
}

/**
 * The position to continue after, or null to start at the end day: a cursor past the end day
 * (from another query) bounds nothing the end day does not.
 */
export function listStartAfter(cursor: string | undefined, endDay: string): ListCursor | null {
  if (cursor === undefined) return null;
  const after = decodeListCursor(cursor);
  return after.day <= endDay ? after : null;
}

/**
 * The page from up to `limit + 1` rows fetched newest first: the extra row only tells that another
 * page exists, so the last page never points at an empty one.
 */
export function pageOf<T extends ListCursor>(rows: readonly T[], limit: number): { orders: T[]; nextCursor: string | null } {
  const orders = rows.slice(0, limit);
  const last = orders.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? encodeListCursor({ day: last.day, createdAt: last.createdAt, orderId: last.orderId }) : null;
  return { orders, nextCursor };
}
