/**
 * Realistic, distinct orders for load tests: every customer type and payment method, returning
 * and new customers, and the fraud patterns of SPEC section 3 (disposable email, bulk gift cards,
 * placeholder addresses, card testing across customers, night-time orders) at a realistic share.
 * Deterministic for a given seed, so runs are comparable.
 */

const CITIES = [
  ['New York', 'NY', '10001'],
  ['Seattle', 'WA', '98101'],
  ['Boston', 'MA', '02101'],
  ['San Francisco', 'CA', '94102'],
  ['Chicago', 'IL', '60601'],
  ['Austin', 'TX', '73301'],
  ['Miami', 'FL', '33101'],
  ['Denver', 'CO', '80202'],
];
const CATALOG = [
  ['USB Cable', 15, 'accessories'],
  ['Coffee Beans 1kg', 24.5, 'grocery'],
  ['Running Shoes', 89.99, 'apparel'],
  ['Desk Lamp', 39.9, 'home'],
  ['Laptop', 1200, 'electronics'],
  ['Noise Cancelling Headphones', 299, 'electronics'],
  ['Office Chair', 249, 'furniture'],
  ['Novel', 12.99, 'books'],
  ['iPhone 15 Pro', 999, 'electronics'],
  ['Gaming Console', 499, 'electronics'],
];
const FREE_MAIL = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'];
const CORPORATE = ['acme-corp.com', 'northwind.example', 'contoso.com', 'globex.io'];
const FIRST = ['john', 'jane', 'maria', 'li', 'omar', 'sofia', 'ken', 'ava', 'raj', 'eva'];
const LAST = ['doe', 'smith', 'garcia', 'chen', 'haddad', 'rossi', 'tanaka', 'brown', 'patel', 'novak'];

/** A small, fast, seedable PRNG (mulberry32). */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Night-time orders are placed yesterday at 03:12 New York time, so they are never in the future.
const NIGHT_PLACED_AT = `${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}T03:12:00-05:00`;

const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const cents = (value) => Math.round(value * 100) / 100;

function customer(index) {
  const rand = random(index * 7919 + 17);
  const [city, state, zipCode] = pick(rand, CITIES);
  const type = index % 20 === 0 ? 'VIP' : index % 7 === 0 ? 'BUSINESS' : 'REGULAR';
  const first = pick(rand, FIRST);
  const last = pick(rand, LAST);
  const domain = type === 'BUSINESS' ? pick(rand, CORPORATE) : pick(rand, FREE_MAIL);
  return {
    customerId: `CUST-${index}`,
    customerEmail: `${first}.${last}${index % 100}@${domain}`,
    customerType: type,
    orderHistory: Math.floor(rand() * 30),
    shippingAddress: { street: `${100 + (index % 900)} ${pick(rand, LAST)} St`, city, state, zipCode, country: 'USA' },
    cardLast4: String(1000 + (index % 9000)),
    paymentMethod: type === 'BUSINESS' && rand() < 0.6 ? 'PURCHASE_ORDER' : rand() < 0.7 ? 'CREDIT_CARD' : 'DEBIT_CARD',
  };
}

function items(rand, count) {
  const lines = [];
  for (let i = 0; i < count; i += 1) {
    const [name, price, category] = pick(rand, CATALOG);
    lines.push({ productId: `PROD-${name.length}-${i}`, name, quantity: 1 + Math.floor(rand() * 2), price, category });
  }
  return lines;
}

function total(lines) {
  return cents(lines.reduce((sum, line) => sum + Math.round(line.quantity * line.price * 100), 0) / 100);
}

/**
 * Returns a function giving the n-th order of the stream. About 60% of orders come from a pool of
 * returning customers, the rest from new ones; about 8% carry a fraud pattern.
 */
export function orderStream({ seed = 42, runId = Date.now().toString(36), returningCustomers = 50_000 } = {}) {
  const rand = random(seed);
  let next = 0;
  return function nextOrder() {
    next += 1;
    const orderId = `BENCH-${runId}-${next}`;
    const roll = rand();
    const index = roll < 0.6 ? 1 + Math.floor(rand() * returningCustomers) : returningCustomers + next;
    const base = customer(index);
    const lines = items(rand, 1 + Math.floor(rand() * 3));
    const order = { orderId, ...base, items: lines, totalAmount: total(lines) };
    if (base.paymentMethod === 'PURCHASE_ORDER') {
      delete order.cardLast4;
      order.poNumber = `PO-${index}-${next}`;
    }
    const pattern = rand();
    if (pattern < 0.02) {
      order.customerEmail = `x${next}q7z@mailinator.com`;
    } else if (pattern < 0.04) {
      order.items = [{ productId: 'GIFT-100', name: 'Amazon Gift Card', quantity: 40, price: 100, category: 'gift-cards' }];
      order.totalAmount = 4000;
      order.orderHistory = 0;
    } else if (pattern < 0.06) {
      order.shippingAddress = { street: 'Unknown', city: 'Test City', state: 'XX', zipCode: '00000', country: 'Unknown' };
    } else if (pattern < 0.07) {
      // Card testing: one card and address shared by many different customers.
      order.paymentMethod = 'CREDIT_CARD';
      order.cardLast4 = '4000';
      delete order.poNumber;
      order.shippingAddress = { street: '1 Drop Point Ave', city: 'Miami', state: 'FL', zipCode: '33101', country: 'USA' };
    } else if (pattern < 0.08) {
      order.placedAt = NIGHT_PLACED_AT;
    }
    return order;
  };
}
