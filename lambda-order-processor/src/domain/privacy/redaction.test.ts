import { maskCardNumbers, maskEmail, passesLuhn, redactingJsonReplacer, redactText } from './redaction.js';

describe('maskEmail', () => {
  it.each([
    ['john.doe@example.com', 'j***@example.com'],
    ['a@b.co', 'a***@b.co'],
    ['j***@example.com', 'j***@example.com'],
    ['no-at-sign', '***'],
    ['@example.com', '***'],
  ])('%s -> %s', (email, masked) => expect(maskEmail(email)).toBe(masked));
});

describe('passesLuhn', () => {
  it('accepts test card numbers and refuses a changed digit', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('5555555555554444')).toBe(true);
    expect(passesLuhn('378282246310005')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});

describe('maskCardNumbers', () => {
  it('keeps the last four digits of Luhn-valid numbers, grouped or not', () => {
    expect(maskCardNumbers('card 4111111111111111 declined')).toBe('card ************1111 declined');
    expect(maskCardNumbers('4111 1111 1111 1111')).toBe('************1111');
    expect(maskCardNumbers('amex 3782-822463-10005')).toBe('amex ***********0005');
  });

  it('leaves timestamps, order ids and short numbers alone', () => {
    expect(maskCardNumbers('at 1732540000001')).toBe('at 1732540000001');
    expect(maskCardNumbers('ORD-20261125-000123')).toBe('ORD-20261125-000123');
    expect(maskCardNumbers('last4 1111, total 1234.56')).toBe('last4 1111, total 1234.56');
  });
});

describe('redactText', () => {
  it('masks every email and card number inside free text', () => {
    expect(redactText('from john.doe@example.com and eve@evil.io paid with 5555555555554444')).toBe(
      'from j***@example.com and e***@evil.io paid with ************4444',
    );
  });
});

describe('redactingJsonReplacer', () => {
  it('redacts string values at any depth and keeps other values', () => {
    const line = JSON.stringify(
      { message: 'order refused', details: { body: '{"customerEmail":"jane@shop.com"}', card: ['4111111111111111'] }, score: 42, ok: true },
      redactingJsonReplacer,
    );
    expect(JSON.parse(line)).toEqual({
      message: 'order refused',
      details: { body: '{"customerEmail":"j***@shop.com"}', card: ['************1111'] },
      score: 42,
      ok: true,
    });
  });
});
