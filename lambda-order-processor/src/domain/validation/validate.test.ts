import { validBillingAddress, validOrderBody } from '../../../test/fixtures/valid-order.js';
import { CUSTOMER_TYPES, PAYMENT_METHODS } from '../order/order.js';
import type { FieldError } from './validate.js';
import { validateOrderBody } from './validate.js';

const NOW = new Date('2025-06-03T12:00:00Z');

type Body = Record<string, unknown>;

function errorsOf(body: unknown): FieldError[] {
  const result = validateOrderBody(body, NOW);
  return result.ok ? [] : result.errors;
}

/** Parses like the handler does, so 1e400 and "__proto__" keys arrive as they would over HTTP. */
function errorsOfJson(rawBody: string): FieldError[] {
  return errorsOf(JSON.parse(rawBody));
}

function firstItem(body: Body): Body {
  return (body.items as Body[])[0] as Body;
}

/** A one-item order whose total matches quantity x price. */
function oneItemOrder(quantity: unknown, price: unknown, totalAmount: unknown = 1): Body {
  return validOrderBody({ items: [{ productId: 'SKU-1', name: 'Widget', quantity, price }], totalAmount });
}

function patched(path: 'items[0]' | 'shippingAddress' | 'billingAddress', field: string, value: unknown): Body {
  const body = validOrderBody({ billingAddress: validBillingAddress() });
  const target = path === 'items[0]' ? firstItem(body) : (body[path] as Body);
  if (value === undefined) Reflect.deleteProperty(target, field);
  else target[field] = value;
  return body;
}

describe('validateOrderBody: the valid fixture', () => {
  it('accepts it and returns the request', () => {
    const result = validateOrderBody(validOrderBody(), NOW);
    expect(result).toEqual({
      ok: true,
      value: {
        orderId: 'ORD-2025-000123',
        customerId: 'CUST-48213',
        customerEmail: 'jane.miller@example.com',
        customerType: 'REGULAR',
        orderHistory: 3,
        items: [
          { productId: 'SKU-1001', name: 'Wireless Mouse', quantity: 2, price: 24.99, category: 'electronics' },
          { productId: 'SKU-2002', name: 'USB-C Cable 2m', quantity: 3, price: 9.99 },
        ],
        totalAmount: 79.95,
        shippingAddress: { street: '742 Evergreen Terrace', city: 'Springfield', state: 'IL', zipCode: '62704', country: 'US' },
        paymentMethod: 'CREDIT_CARD',
        cardLast4: '4242',
        placedAt: '2025-06-02T14:30:00-05:00',
      },
    });
  });
});

describe('required fields', () => {
  it.each(['orderId', 'customerId', 'customerEmail', 'customerType', 'items', 'totalAmount', 'shippingAddress', 'paymentMethod'])(
    '%s missing or null is "is required"',
    (field) => {
      expect(errorsOf(validOrderBody({ [field]: undefined }))).toEqual([{ field, message: 'is required' }]);
      expect(errorsOf(validOrderBody({ [field]: null }))).toEqual([{ field, message: 'is required' }]);
    },
  );

  it.each([
    ['items[0]', 'productId'],
    ['items[0]', 'name'],
    ['items[0]', 'quantity'],
    ['items[0]', 'price'],
    ['shippingAddress', 'street'],
    ['shippingAddress', 'city'],
    ['shippingAddress', 'state'],
    ['shippingAddress', 'zipCode'],
    ['shippingAddress', 'country'],
    ['billingAddress', 'zipCode'],
  ] as const)('%s.%s missing is "is required"', (path, field) => {
    expect(errorsOf(patched(path, field, undefined))).toEqual([{ field: `${path}.${field}`, message: 'is required' }]);
  });

  it('optional fields may be absent, and absent ones stay absent in the result', () => {
    const body = validOrderBody({ orderHistory: undefined, placedAt: undefined });
    Reflect.deleteProperty(firstItem(body), 'category');
    const result = validateOrderBody(body, NOW);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Object.keys(result.value)).toEqual([
        'orderId', 'customerId', 'customerEmail', 'customerType', 'items', 'totalAmount', 'shippingAddress', 'paymentMethod', 'cardLast4',
      ]);
      expect(Object.keys(result.value.items[0] ?? {})).toEqual(['productId', 'name', 'quantity', 'price']);
    }
  });

  it('optional fields sent as null are errors, not absent', () => {
    expect(errorsOf(validOrderBody({ orderHistory: null, placedAt: null, billingAddress: null }))).toEqual([
      { field: 'orderHistory', message: 'must be an integer between 0 and 1000000' },
      { field: 'billingAddress', message: 'must be an object' },
      { field: 'placedAt', message: 'must be an ISO-8601 date-time with a time zone offset or Z, e.g. 2025-06-02T14:30:00-07:00' },
    ]);
  });
});

describe('orderId and customerId', () => {
  const pattern = 'must start with a letter or digit and contain only letters, digits, ".", "_", ":" or "-"';

  it.each(['orderId', 'customerId'])('%s: rejects bad identifiers', (field) => {
    expect(errorsOf(validOrderBody({ [field]: '' }))).toEqual([{ field, message: 'must not be empty' }]);
    expect(errorsOf(validOrderBody({ [field]: 'A'.repeat(65) }))).toEqual([{ field, message: 'must be at most 64 characters' }]);
    expect(errorsOf(validOrderBody({ [field]: 'ORD 1' }))).toEqual([{ field, message: pattern }]);
    expect(errorsOf(validOrderBody({ [field]: ' ORD-1' }))).toEqual([{ field, message: pattern }]);
    expect(errorsOf(validOrderBody({ [field]: '-ORD-1' }))).toEqual([{ field, message: pattern }]);
    expect(errorsOf(validOrderBody({ [field]: '../../etc/passwd' }))).toEqual([{ field, message: pattern }]);
    expect(errorsOf(validOrderBody({ [field]: 12345 }))).toEqual([{ field, message: 'must be a string' }]);
  });

  it.each(['orderId', 'customerId'])('%s: accepts 1 and 64 characters and every allowed punctuation', (field) => {
    expect(errorsOf(validOrderBody({ [field]: '7' }))).toEqual([]);
    expect(errorsOf(validOrderBody({ [field]: 'A'.repeat(64) }))).toEqual([]);
    expect(errorsOf(validOrderBody({ [field]: 'a.b_c:d-e.9' }))).toEqual([]);
  });
});

describe('customerEmail', () => {
  const local = 'a'.repeat(64);
  const domainOfLength = (length: number): string => `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(length - 63 - 63 - 4 - 2)}.com`;

  it('rejects invalid syntax', () => {
    for (const email of ['jane', 'jane@', '@example.com', 'jane@example', 'jane doe@example.com', 'Jane <jane@example.com>']) {
      expect(errorsOf(validOrderBody({ customerEmail: email }))).toEqual([{ field: 'customerEmail', message: 'must be a valid email address' }]);
    }
  });

  it('caps the length at 254 characters', () => {
    const atCap = `${local}@${domainOfLength(254 - 65)}`;
    const overCap = `${local}@${domainOfLength(255 - 65)}`;
    expect(atCap).toHaveLength(254);
    expect(errorsOf(validOrderBody({ customerEmail: atCap }))).toEqual([]);
    expect(errorsOf(validOrderBody({ customerEmail: overCap }))).toEqual([{ field: 'customerEmail', message: 'must be at most 254 characters' }]);
  });

  it('rejects blank and non-string values', () => {
    expect(errorsOf(validOrderBody({ customerEmail: '  ' }))).toEqual([{ field: 'customerEmail', message: 'must not be empty or blank' }]);
    expect(errorsOf(validOrderBody({ customerEmail: ['a@b.com'] }))).toEqual([{ field: 'customerEmail', message: 'must be a string' }]);
  });

  it('trims and lower-cases the domain, keeping the local part as sent', () => {
    const result = validateOrderBody(validOrderBody({ customerEmail: ' Jane.Miller@Example.COM ' }), NOW);
    expect(result.ok && result.value.customerEmail).toBe('Jane.Miller@example.com');
  });
});

describe('enums are exact and case-sensitive', () => {
  it.each(CUSTOMER_TYPES)('customerType %s is accepted', (customerType) => {
    expect(errorsOf(validOrderBody({ customerType }))).toEqual([]);
  });

  it.each(['regular', 'Regular', 'VIP ', 'PLATINUM', 1])('customerType %p is rejected', (customerType) => {
    expect(errorsOf(validOrderBody({ customerType }))).toEqual([{ field: 'customerType', message: 'must be one of REGULAR, BUSINESS, VIP' }]);
  });

  it.each(PAYMENT_METHODS)('paymentMethod %s is accepted with its own field', (paymentMethod) => {
    const extra = paymentMethod === 'PURCHASE_ORDER' ? { cardLast4: undefined, poNumber: 'PO-1' } : {};
    expect(errorsOf(validOrderBody({ paymentMethod, ...extra }))).toEqual([]);
  });

  it.each(['credit_card', 'Credit_Card', 'PAYPAL'])('paymentMethod %p is rejected', (paymentMethod) => {
    expect(errorsOf(validOrderBody({ paymentMethod }))).toEqual([
      { field: 'paymentMethod', message: 'must be one of CREDIT_CARD, DEBIT_CARD, PURCHASE_ORDER' },
    ]);
  });
});

describe('orderHistory', () => {
  const message = 'must be an integer between 0 and 1000000';

  it.each([-1, 1_000_001, 2.5, '5', true])('rejects %p', (orderHistory) => {
    expect(errorsOf(validOrderBody({ orderHistory }))).toEqual([{ field: 'orderHistory', message }]);
  });

  it.each([0, 1_000_000])('accepts the boundary %p', (orderHistory) => {
    expect(errorsOf(validOrderBody({ orderHistory }))).toEqual([]);
  });
});

describe('items', () => {
  const item = { productId: 'SKU-1', name: 'Widget', quantity: 1, price: 2.5 };
  const many = (count: number): Body => validOrderBody({ items: Array.from({ length: count }, () => ({ ...item })), totalAmount: 2.5 * count });

  it('accepts 1 and 100 items', () => {
    expect(errorsOf(many(1))).toEqual([]);
    expect(errorsOf(many(100))).toEqual([]);
  });

  it('rejects 0 and 101 items without listing each item', () => {
    expect(errorsOf(validOrderBody({ items: [] }))).toEqual([{ field: 'items', message: 'must contain between 1 and 100 items' }]);
    expect(errorsOf(many(101))).toEqual([{ field: 'items', message: 'must contain between 1 and 100 items' }]);
  });

  it.each([{ 0: item }, 'SKU-1', 3])('rejects a non-array %p', (items) => {
    expect(errorsOf(validOrderBody({ items }))).toEqual([{ field: 'items', message: 'must be an array' }]);
  });

  it('rejects elements that are not objects, by index', () => {
    expect(errorsOf(validOrderBody({ items: [item, null, 'SKU-2', [item]], totalAmount: 2.5 }))).toEqual([
      { field: 'items[1]', message: 'must be an object' },
      { field: 'items[2]', message: 'must be an object' },
      { field: 'items[3]', message: 'must be an object' },
    ]);
  });
});

describe('quantity', () => {
  const message = 'must be an integer between 1 and 10000';

  it.each([0, -1, 10_001, 1.5, '2', null])('rejects %p', (quantity) => {
    const expected = quantity === null ? 'is required' : message;
    expect(errorsOf(oneItemOrder(quantity, 1))).toEqual([{ field: 'items[0].quantity', message: expected }]);
  });

  it.each([1, 10_000])('accepts the boundary %p', (quantity) => {
    expect(errorsOf(oneItemOrder(quantity, 1, quantity))).toEqual([]);
  });
});

describe('price and totalAmount', () => {
  const cases: Array<[string, string, string]> = [
    ['a numeric string', '"12.5"', 'must be a number'],
    ['the string "NaN"', '"NaN"', 'must be a number'],
    ['a boolean', 'true', 'must be a number'],
    ['1e400 (Infinity)', '1e400', 'must be a finite number'],
    ['-1e400', '-1e400', 'must be a finite number'],
    ['zero', '0', 'must be greater than 0'],
    ['negative zero', '-0', 'must be greater than 0'],
    ['negative', '-5', 'must be greater than 0'],
    ['one cent over the maximum', '10000000.01', 'must be at most 10000000'],
    ['1e308', '1e308', 'must be at most 10000000'],
    ['3 decimals', '1.005', 'must have at most 2 decimal places'],
    ['float noise of a millionth of a cent', '24.9900001', 'must have at most 2 decimal places'],
  ];

  it.each(cases)('price: rejects %s', (_label, raw, message) => {
    const rawBody = JSON.stringify(oneItemOrder(1, 0, 1)).replace('"price":0', `"price":${raw}`);
    expect(errorsOfJson(rawBody)).toEqual([{ field: 'items[0].price', message }]);
  });

  it.each(cases)('totalAmount: rejects %s', (_label, raw, message) => {
    const rawBody = JSON.stringify(validOrderBody({ totalAmount: 0 })).replace('"totalAmount":0', `"totalAmount":${raw}`);
    expect(errorsOfJson(rawBody)).toEqual([{ field: 'totalAmount', message }]);
  });

  it.each([0.01, 19.99, 10_000_000])('accepts %p as price and totalAmount', (amount) => {
    expect(errorsOf(oneItemOrder(1, amount, amount))).toEqual([]);
  });

  it('rounds accepted amounts to whole cents', () => {
    const result = validateOrderBody(oneItemOrder(1, 24.990000000000002, 24.989999999999998), NOW);
    expect(result.ok && [result.value.items[0]?.price, result.value.totalAmount]).toEqual([24.99, 24.99]);
  });
});

describe('totalAmount equals the sum of quantity x price', () => {
  it('rejects a total one cent off, naming the expected sum', () => {
    const message = 'must equal the sum of quantity x price (79.95)';
    expect(errorsOf(validOrderBody({ totalAmount: 79.96 }))).toEqual([{ field: 'totalAmount', message }]);
    expect(errorsOf(validOrderBody({ totalAmount: 79.94 }))).toEqual([{ field: 'totalAmount', message }]);
  });

  it('compares in integer cents, so floating-point sums still match', () => {
    expect(errorsOf(oneItemOrder(3, 0.1, 0.3))).toEqual([]);
    expect(errorsOf(oneItemOrder(10_000, 1000, 10_000_000))).toEqual([]);
    expect(
      errorsOf(
        validOrderBody({
          items: [
            { productId: 'A', name: 'A', quantity: 1, price: 0.1 },
            { productId: 'B', name: 'B', quantity: 1, price: 0.2 },
          ],
          totalAmount: 0.3,
        }),
      ),
    ).toEqual([]);
  });

  it('is not checked while an item amount is invalid (the item error is enough)', () => {
    expect(errorsOf(oneItemOrder(0, 5, 5))).toEqual([{ field: 'items[0].quantity', message: 'must be an integer between 1 and 10000' }]);
  });
});

describe('cardLast4 and poNumber follow the payment method', () => {
  it.each(['CREDIT_CARD', 'DEBIT_CARD'])('cardLast4 is required for %s', (paymentMethod) => {
    expect(errorsOf(validOrderBody({ paymentMethod, cardLast4: undefined }))).toEqual([
      { field: 'cardLast4', message: 'is required for CREDIT_CARD and DEBIT_CARD payments' },
    ]);
  });

  it.each(['123', '12345', 'abcd', '12 4', '\u0664\u0662\u0664\u0662', 4242])('cardLast4 %p is not four digits', (cardLast4) => {
    expect(errorsOf(validOrderBody({ cardLast4 }))).toEqual([{ field: 'cardLast4', message: 'must be exactly 4 digits' }]);
  });

  it('cardLast4 accepts four digits, leading zeros included', () => {
    expect(errorsOf(validOrderBody({ cardLast4: '0007' }))).toEqual([]);
  });

  it('poNumber is required for PURCHASE_ORDER, and cardLast4 is refused there', () => {
    expect(errorsOf(validOrderBody({ paymentMethod: 'PURCHASE_ORDER' }))).toEqual([
      { field: 'cardLast4', message: 'is only allowed for CREDIT_CARD and DEBIT_CARD payments' },
      { field: 'poNumber', message: 'is required for PURCHASE_ORDER payments' },
    ]);
  });

  it('poNumber is refused for card payments', () => {
    expect(errorsOf(validOrderBody({ poNumber: 'PO-1' }))).toEqual([{ field: 'poNumber', message: 'is only allowed for PURCHASE_ORDER payments' }]);
  });

  it('poNumber is 1 to 64 characters and trimmed', () => {
    const purchaseOrder = (poNumber: unknown): Body => validOrderBody({ paymentMethod: 'PURCHASE_ORDER', cardLast4: undefined, poNumber });
    expect(errorsOf(purchaseOrder('P'.repeat(65)))).toEqual([{ field: 'poNumber', message: 'must be at most 64 characters' }]);
    expect(errorsOf(purchaseOrder(' '))).toEqual([{ field: 'poNumber', message: 'must not be empty or blank' }]);
    expect(errorsOf(purchaseOrder('P'.repeat(64)))).toEqual([]);
    const result = validateOrderBody(purchaseOrder(' PO-7781 '), NOW);
    expect(result.ok && result.value.poNumber).toBe('PO-7781');
  });

  it('no payment-specific error is added while paymentMethod itself is invalid', () => {
    expect(errorsOf(validOrderBody({ paymentMethod: 'BITCOIN', cardLast4: undefined }))).toEqual([
      { field: 'paymentMethod', message: 'must be one of CREDIT_CARD, DEBIT_CARD, PURCHASE_ORDER' },
    ]);
  });
});

describe('free-text fields', () => {
  const textFields: Array<['items[0]' | 'shippingAddress' | 'billingAddress', string, number]> = [
    ['items[0]', 'productId', 64],
    ['items[0]', 'name', 200],
    ['items[0]', 'category', 50],
    ['shippingAddress', 'street', 200],
    ['shippingAddress', 'city', 100],
    ['shippingAddress', 'state', 100],
    ['shippingAddress', 'zipCode', 20],
    ['shippingAddress', 'country', 60],
    ['billingAddress', 'street', 200],
    ['billingAddress', 'city', 100],
    ['billingAddress', 'state', 100],
    ['billingAddress', 'zipCode', 20],
    ['billingAddress', 'country', 60],
  ];

  it.each(textFields)('%s.%s is capped at %p characters', (path, field, cap) => {
    expect(errorsOf(patched(path, field, 'x'.repeat(cap)))).toEqual([]);
    expect(errorsOf(patched(path, field, 'x'.repeat(cap + 1)))).toEqual([
      { field: `${path}.${field}`, message: `must be at most ${cap} characters` },
    ]);
  });

  it.each(textFields)('%s.%s must be a non-blank string without control characters', (path, field) => {
    const fieldPath = `${path}.${field}`;
    expect(errorsOf(patched(path, field, ''))).toEqual([{ field: fieldPath, message: 'must not be empty or blank' }]);
    expect(errorsOf(patched(path, field, ' \t '))).toEqual([{ field: fieldPath, message: 'must not be empty or blank' }]);
    expect(errorsOf(patched(path, field, 42))).toEqual([{ field: fieldPath, message: 'must be a string' }]);
    expect(errorsOf(patched(path, field, 'a\u0000b'))).toEqual([{ field: fieldPath, message: 'must not contain control characters' }]);
    expect(errorsOf(patched(path, field, 'a\nb'))).toEqual([{ field: fieldPath, message: 'must not contain control characters' }]);
    expect(errorsOf(patched(path, field, 'a\u0085b'))).toEqual([{ field: fieldPath, message: 'must not contain control characters' }]);
    expect(errorsOf(patched(path, field, 'a\ud800b'))).toEqual([{ field: fieldPath, message: 'must be valid Unicode text' }]);
  });

  it('accepts non-ASCII text and returns every string trimmed', () => {
    const body = validOrderBody({
      shippingAddress: { street: ' Bahnhofstraße 1 ', city: 'Zürich ', state: ' ZH', zipCode: ' 8001 ', country: 'CH' },
      items: [{ productId: ' SKU-1 ', name: ' Café crème 😀 ', quantity: 1, price: 79.95, category: ' food ' }],
    });
    const result = validateOrderBody(body, NOW);
    expect(result.ok && result.value.shippingAddress).toEqual({ street: 'Bahnhofstraße 1', city: 'Zürich', state: 'ZH', zipCode: '8001', country: 'CH' });
    expect(result.ok && result.value.items).toEqual([{ productId: 'SKU-1', name: 'Café crème 😀', quantity: 1, price: 79.95, category: 'food' }]);
  });
});

describe('placedAt', () => {
  const message = 'must be an ISO-8601 date-time with a time zone offset or Z, e.g. 2025-06-02T14:30:00-07:00';

  it.each([
    '2025-06-02T14:30:00',
    '2025-06-02',
    '2025-06-02 14:30:00Z',
    '2025-02-30T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '2025-06-02T24:00:00Z',
    '2025-06-02T14:60:00Z',
    '2025-06-02T14:30:00+15:00',
    '2025-06-02T14:30:00+0100',
    '2025-06-02t14:30:00z',
    'yesterday',
    1748892600000,
  ])('rejects %p', (placedAt) => {
    expect(errorsOf(validOrderBody({ placedAt }))).toEqual([{ field: 'placedAt', message }]);
  });

  it.each([
    '2025-06-02T14:30:00Z',
    '2025-06-02T14:30Z',
    '2025-06-02T14:30:00.123456789Z',
    '2025-06-02T20:00:00+05:30',
    '2025-06-02T14:30:00-12:00',
    '2025-06-03T04:30:00+14:00',
    '2024-02-29T09:15:00-08:00',
    '1999-12-31T23:59:59Z',
  ])('accepts %p', (placedAt) => {
    expect(errorsOf(validOrderBody({ placedAt }))).toEqual([]);
  });

  it('may be at most 5 minutes after now', () => {
    expect(errorsOf(validOrderBody({ placedAt: '2025-06-03T12:05:00Z' }))).toEqual([]);
    expect(errorsOf(validOrderBody({ placedAt: '2025-06-03T14:05:00+02:00' }))).toEqual([]);
    expect(errorsOf(validOrderBody({ placedAt: '2025-06-03T12:05:00.001Z' }))).toEqual([
      { field: 'placedAt', message: 'must not be more than 5 minutes in the future' },
    ]);
  });
});

describe('unknown fields are rejected at every level', () => {
  it('reports each unknown field with its path, after the field errors', () => {
    const body = patched('shippingAddress', 'apartment', '2B');
    body.couponCode = 'SAVE10';
    firstItem(body).discount = 5;
    (body.billingAddress as Body).note = 'ring twice';
    body.orderId = '';
    expect(errorsOf(body)).toEqual([
      { field: 'orderId', message: 'must not be empty' },
      { field: 'couponCode', message: 'is not an allowed field' },
      { field: 'items[0].discount', message: 'is not an allowed field' },
      { field: 'shippingAddress.apartment', message: 'is not an allowed field' },
      { field: 'billingAddress.note', message: 'is not an allowed field' },
    ]);
  });

  // class-validator's own whitelist misses these: it looks field names up in a plain object.
  it.each(['hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', '__lookupSetter__', 'toString', 'valueOf', 'then'])(
    'rejects an unknown field named like an Object.prototype member: %s',
    (key) => {
      const body: Body = JSON.parse(JSON.stringify(validOrderBody()).replace('{', `{"${key}":{"x":1},`).replace('"street"', `"${key}":1,"street"`));
      firstItem(body)[key] = 'x';
      expect(errorsOf(body)).toEqual([
        { field: key, message: 'is not an allowed field' },
        { field: `items[0].${key}`, message: 'is not an allowed field' },
        { field: `shippingAddress.${key}`, message: 'is not an allowed field' },
      ]);
    },
  );
});

describe('forbidden keys and nesting are screened before anything else', () => {
  it.each([
    ['{"__proto__":{"isAdmin":true}}', '__proto__'],
    ['{"constructor":{"prototype":{"isAdmin":true}}}', 'constructor'],
    ['{"prototype":1}', 'prototype'],
    ['{"items":[{"__proto__":{"price":0}}]}', 'items[0].__proto__'],
    ['{"shippingAddress":{"constructor":null}}', 'shippingAddress.constructor'],
    ['{"meta":{"tags":[1,{"prototype":{}}]}}', 'meta.tags[1].prototype'],
  ])('%s is rejected at %s, with no other errors', (rawBody, field) => {
    expect(errorsOfJson(rawBody)).toEqual([{ field, message: 'is a forbidden key' }]);
  });

  it('never lets a forbidden key reach a prototype', () => {
    const raw = JSON.stringify(validOrderBody()).replace('{', '{"__proto__":{"polluted":true},');
    const body: unknown = JSON.parse(raw);
    expect(errorsOf(body)).toEqual([{ field: '__proto__', message: 'is a forbidden key' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('allows 8 levels of nesting and rejects the 9th', () => {
    const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}1${']'.repeat(levels)}`);
    expect(errorsOf(validOrderBody({ extra: nested(7) }))).toEqual([{ field: 'extra', message: 'is not an allowed field' }]);
    expect(errorsOf(validOrderBody({ extra: nested(8) }))).toEqual([
      { field: 'extra[0][0][0][0][0][0][0]', message: 'must not be nested more than 8 levels deep' },
    ]);
  });

  it.each([null, [], [validOrderBody()], 'order', 42, true, undefined])('rejects a non-object body %p', (body) => {
    expect(errorsOf(body)).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });
});

describe('results', () => {
  it('reports every error, in a deterministic order', () => {
    const body = validOrderBody({
      orderId: 'bad id',
      customerEmail: 'nope',
      items: [{ productId: '', name: 'Widget', quantity: 0, price: 1.234, extra: 1 }, 7],
      totalAmount: '10',
      shippingAddress: { street: '1 Main St', city: 'Springfield', state: 'IL', zipCode: '', country: 'US' },
      cardLast4: '12',
      surprise: true,
    });
    const expected = [
      { field: 'orderId', message: 'must start with a letter or digit and contain only letters, digits, ".", "_", ":" or "-"' },
      { field: 'customerEmail', message: 'must be a valid email address' },
      { field: 'totalAmount', message: 'must be a number' },
      { field: 'cardLast4', message: 'must be exactly 4 digits' },
      { field: 'items[0].productId', message: 'must not be empty or blank' },
      { field: 'items[0].quantity', message: 'must be an integer between 1 and 10000' },
      { field: 'items[0].price', message: 'must have at most 2 decimal places' },
      { field: 'items[1]', message: 'must be an object' },
      { field: 'shippingAddress.zipCode', message: 'must not be empty or blank' },
      { field: 'surprise', message: 'is not an allowed field' },
      { field: 'items[0].extra', message: 'is not an allowed field' },
    ];
    expect(errorsOf(body)).toEqual(expected);
    expect(errorsOf(body)).toEqual(expected);
  });

  it('returns a fresh plain object and leaves the input untouched', () => {
    const body = validOrderBody({ billingAddress: validBillingAddress() });
    const snapshot = structuredClone(body);
    const result = validateOrderBody(body, NOW);
    expect(body).toEqual(snapshot);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(value.items[0])).toBe(Object.prototype);
    expect(Object.getPrototypeOf(value.shippingAddress)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(value.billingAddress)).toBe(Object.prototype);
    expect(value.items).not.toBe(body.items);
    expect(value.shippingAddress).not.toBe(body.shippingAddress);
    expect(value.billingAddress).toEqual(validBillingAddress());
  });
});
