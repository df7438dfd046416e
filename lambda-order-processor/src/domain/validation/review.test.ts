import { REVIEW_DECISIONS } from '../order/order.js';
import type { FieldError } from './validate.js';
import { validateOrderId, validateReviewBody } from './validate.js';

function errorsOf(body: unknown): FieldError[] {
  const result = validateReviewBody(body);
  return result.ok ? [] : result.errors;
}

const review = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries({ decision: 'APPROVED', reviewer: 'maria.lopez', note: 'Called the customer', ...overrides }).filter(
      ([, value]) => value !== undefined,
    ),
  );

describe('validateReviewBody', () => {
  it.each(REVIEW_DECISIONS)('accepts decision %s and returns a trimmed plain object', (decision) => {
    expect(validateReviewBody(review({ decision, reviewer: ' maria.lopez ', note: ' ok \n' }))).toEqual({
      ok: true,
      value: { decision, reviewer: 'maria.lopez', note: 'ok' },
    });
  });

  it('leaves note out when it was not sent', () => {
    expect(validateReviewBody(review({ note: undefined }))).toEqual({ ok: true, value: { decision: 'APPROVED', reviewer: 'maria.lopez' } });
  });

  it.each(['approved', 'PENDING_REVIEW', 'REJECT', 1])('rejects decision %p', (decision) => {
    expect(errorsOf(review({ decision }))).toEqual([{ field: 'decision', message: 'must be one of APPROVED, REJECTED' }]);
  });

  it('requires decision and reviewer', () => {
    expect(errorsOf({})).toEqual([
      { field: 'decision', message: 'is required' },
      { field: 'reviewer', message: 'is required' },
    ]);
  });

  it('caps reviewer at 100 characters and refuses blanks and line breaks', () => {
    expect(errorsOf(review({ reviewer: 'r'.repeat(100) }))).toEqual([]);
    expect(errorsOf(review({ reviewer: 'r'.repeat(101) }))).toEqual([{ field: 'reviewer', message: 'must be at most 100 characters' }]);
    expect(errorsOf(review({ reviewer: '  ' }))).toEqual([{ field: 'reviewer', message: 'must not be empty or blank' }]);
    expect(errorsOf(review({ reviewer: 'maria\nlopez' }))).toEqual([{ field: 'reviewer', message: 'must not contain control characters' }]);
  });

  it('caps note at 1000 characters and allows line breaks and tabs but no other control characters', () => {
    expect(errorsOf(review({ note: 'n'.repeat(1000) }))).toEqual([]);
    expect(errorsOf(review({ note: 'n'.repeat(1001) }))).toEqual([{ field: 'note', message: 'must be at most 1000 characters' }]);
    expect(errorsOf(review({ note: 'line one\r\n\tline two' }))).toEqual([]);
    expect(errorsOf(review({ note: 'bell\u0007' }))).toEqual([{ field: 'note', message: 'must not contain control characters' }]);
    expect(errorsOf(review({ note: null }))).toEqual([{ field: 'note', message: 'must be a string' }]);
  });

  it('rejects unknown fields, forbidden keys and non-object bodies', () => {
    expect(errorsOf(review({ status: 'APPROVED' }))).toEqual([{ field: 'status', message: 'is not an allowed field' }]);
    expect(errorsOf(JSON.parse('{"decision":"APPROVED","reviewer":"m","__proto__":{"admin":true}}'))).toEqual([
      { field: '__proto__', message: 'is a forbidden key' },
    ]);
    expect(errorsOf(['APPROVED'])).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });
});

describe('validateOrderId', () => {
  it.each(['ORD-2025-000123', '7', 'a.b_c:d-e', 'A'.repeat(64)])('accepts %p', (id) => {
    expect(validateOrderId(id)).toEqual([]);
  });

  it.each([
    ['', 'must not be empty'],
    ['A'.repeat(65), 'must be at most 64 characters'],
    ['..', 'must start with a letter or digit and contain only letters, digits, ".", "_", ":" or "-"'],
    ['ORD%2F1', 'must start with a letter or digit and contain only letters, digits, ".", "_", ":" or "-"'],
    ['ORD/1', 'must start with a letter or digit and contain only letters, digits, ".", "_", ":" or "-"'],
  ])('rejects %p', (id, message) => {
    expect(validateOrderId(id)).toEqual([{ field: 'orderId', message }]);
  });
});
