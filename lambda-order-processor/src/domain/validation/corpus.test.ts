import { malformedOrderCases, validEdgeCases } from '../../../test/fixtures/malformed-orders.js';
import { MAX_BODY_BYTES } from './limits.js';
import { validateOrderBody } from './validate.js';

const NOW = new Date('2025-06-03T12:00:00Z');
const cases = malformedOrderCases();

function parses(rawBody: string): boolean {
  try {
    JSON.parse(rawBody);
    return true;
  } catch {
    return false;
  }
}

describe('malformed order corpus', () => {
  it('has at least 220 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(220);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => `${c.contentType}\n${c.rawBody}`)).size).toBe(cases.length);
  });

  it('sizes its bodies to the status they expect: 413 exactly when over 64 KiB', () => {
    for (const c of cases) {
      expect({ name: c.name, oversize: Buffer.byteLength(c.rawBody, 'utf8') > MAX_BODY_BYTES }).toEqual({
        name: c.name,
        oversize: c.expectedStatus === 413,
      });
    }
  });

  it('keeps JSON with a charset out of the 415 group and sends JSON otherwise', () => {
    for (const c of cases.filter((c) => c.expectedStatus !== 415)) expect(c.contentType).toMatch(/^application\/json(;|$)/);
    expect(cases.filter((c) => c.expectedStatus === 415).map((c) => c.contentType)).not.toContain('application/json; charset=utf-8');
  });

  const parseable = cases.filter((c) => c.expectedStatus === 400 && parses(c.rawBody));

  it('covers malformed JSON texts that must fail before validation', () => {
    const unparseable = cases.filter((c) => c.expectedStatus === 400 && !parses(c.rawBody));
    expect(unparseable.length).toBeGreaterThanOrEqual(15);
  });

  it.each(parseable.map((c) => [c.name, c.rawBody] as const))('rejects %s', (_name, rawBody) => {
    const result = validateOrderBody(JSON.parse(rawBody), NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.length).toBeGreaterThan(0);
      for (const error of result.errors) {
        expect(error.field).not.toBe('');
        expect(error.message).not.toBe('');
      }
    }
  });
});

describe('valid edge cases', () => {
  it.each(validEdgeCases().map((c) => [c.name, c.body] as const))('accepts %s', (_name, body) => {
    const result = validateOrderBody(JSON.parse(JSON.stringify(body)), NOW);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
