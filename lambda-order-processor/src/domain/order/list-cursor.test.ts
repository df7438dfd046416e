import { MAX_PAGE_SIZE, assertPageLimit, decodeListCursor, encodeListCursor, listStartAfter, pageOf } from './list-cursor.js';

const row = (n: number) => ({ day: '2025-06-02', createdAt: `2025-06-02T10:00:0${n}.000Z`, orderId: `ORD-${n}` });

describe('list cursor', () => {
  it('round-trips a position through an opaque base64url string', () => {
    const cursor = encodeListCursor(row(1));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).toBe('["2025-06-02","2025-06-02T10:00:01.000Z","ORD-1"]');
    expect(decodeListCursor(cursor)).toEqual(row(1));
  });

  it('rejects garbage, wrong shapes and a malformed day as an invalid cursor', () => {
    const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of ['not base64 json!', encoded({ day: '2025-06-02' }), encoded(['2025-06-02', 'x']), encoded(['2025-06-02', 1, 'ORD-1']), encoded(['June 2', 'x', 'ORD-1'])]) {
      expect(() => decodeListCursor(cursor)).toThrow(new RangeError('Invalid cursor'));
    }
  });

  it('starts over when the cursor lies past the end day', () => {
    const cursor = encodeListCursor(row(1));
    expect(listStartAfter(undefined, '2025-06-02')).toBeNull();
    expect(listStartAfter(cursor, '2025-06-02')).toEqual(row(1));
    expect(listStartAfter(cursor, '2025-06-01')).toBeNull();
  });

  it('accepts page sizes from 1 to the maximum only', () => {
    expect(() => assertPageLimit(1)).not.toThrow();
    expect(() => assertPageLimit(MAX_PAGE_SIZE)).not.toThrow();
    for (const limit of [0, -1, 1.5, MAX_PAGE_SIZE + 1, Number.NaN]) {
      expect(() => assertPageLimit(limit)).toThrow(new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}`));
    }
  });

  it('points at the next page only when the extra row shows there is one', () => {
    const rows = [row(3), row(2), row(1)];
    expect(pageOf(rows, 2)).toEqual({ orders: [row(3), row(2)], nextCursor: encodeListCursor(row(2)) });
    expect(pageOf(rows.slice(0, 2), 2)).toEqual({ orders: [row(3), row(2)], nextCursor: null });
    expect(pageOf([], 2)).toEqual({ orders: [], nextCursor: null });
  });
});
