import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '@orderops/lambda-order-processor/config';
import type { CostBreakdown, OrderResponseBody, OrderStatus } from '@orderops/lambda-order-processor/domain/order/order';
import { startLocalServer } from '@orderops/lambda-order-processor/local-server';
import { createRuntime, type OrderProcessorRuntime } from '@orderops/lambda-order-processor/runtime';

/**
 * Test data for the analytics, written THROUGH THE ORDER PROCESSOR'S OWN WRITE PATH: its composition
 * root and local HTTP server, real POST /orders and POST /orders/{id}/review requests, with the
 * runtime's clock set to each request's time. Never hand-inserted rows, so the analytics reads
 * exactly what the order API writes (rollups, order documents, reviews) and the two cannot drift.
 */

export interface SeedOrder {
  /** ISO timestamp the order API receives the order (its rollup day is this instant's UTC day). */
  at: string;
  /** The POST /orders body (see orderBody and the approved/pending/rejected builders). */
  body: Record<string, unknown>;
  /** A person's decision on a PENDING_REVIEW order, sent at `review.at` (not before `at`). */
  review?: { decision: 'APPROVED' | 'REJECTED'; reviewer: string; at: string };
}

/** The order API's answer to POST /orders, plus what the store holds once seeding is done. */
export type SeededOrder = OrderResponseBody & {
  /** UTC day of `at`: the rollup day the order (and its review) counts on. */
  day: string;
  /** The status after the review, or the screened status without one. */
  finalStatus: OrderStatus;
  /** Exact cost in integer nano-dollars as stored: screening plus the review, when there was one. */
  costNanos: CostBreakdown;
  /** Order value in integer cents. */
  totalAmountCents: number;
};

interface TimelineStep {
  at: number;
  index: number;
  kind: 'order' | 'review';
}

function epochMs(text: string, what: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`${what}: not an ISO timestamp: ${text}`);
  return ms;
}

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

interface OrderApi {
  url: string;
  runtime: OrderProcessorRuntime;
  /** Sets the time the order API stamps the next requests with. */
  setClock(at: number): void;
}

/**
 * The order API's store variables for seeding (default: SQLite under DATA_DIR), e.g.
 * `{ STORE: 'dynamodb', ORDERS_TABLE, DYNAMODB_ENDPOINT, AWS_REGION }` for a DynamoDB Local table
 * (credentials from the SDK's chain: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for DynamoDB Local).
 */
export type SeedStoreEnv = Record<string, string>;

/** The real order API (composition root + local server) on DATA_DIR=`dataDir`, with a settable clock, for `work`. */
async function withOrderApi<T>(dataDir: string, work: (api: OrderApi) => Promise<T>, storeEnv: SeedStoreEnv = {}): Promise<T> {
  let clock = new Date(0);
  const config = loadConfig({ DATA_DIR: dataDir, ...storeEnv, OUTBOX_DELIVERY: 'inline' });
  const runtime = await createRuntime(config, { logger: new Logger({ serviceName: 'seed', logLevel: 'SILENT' }), now: () => clock });
  try {
    const server = await startLocalServer({ handler: runtime.handler, port: 0, lambdaMemoryMb: config.deployment.lambdaMemoryMb });
    try {
      return await work({ url: server.url, runtime, setClock: (at) => void (clock = new Date(at)) });
    } finally {
      await server.close();
    }
  } finally {
    await runtime.close(5_000);
  }
}

/**
 * Records `orders` into DATA_DIR=`dataDir` (creating the store when needed) through the real order
 * API, in time order (an order's review runs at its own time, after the orders received before it),
 * and resolves with each order's answer in the order given. Throws when the order API refuses a
 * seed order or a review: seed data is always valid.
 */
export async function seedOrderStore(dataDir: string, orders: SeedOrder[], storeEnv: SeedStoreEnv = {}): Promise<SeededOrder[]> {
  const steps: TimelineStep[] = [];
  orders.forEach((order, index) => {
    const at = epochMs(order.at, `order ${index} at`);
    steps.push({ at, index, kind: 'order' });
    if (order.review) {
      const reviewAt = epochMs(order.review.at, `order ${index} review.at`);
      if (reviewAt < at) throw new Error(`order ${index}: review.at ${order.review.at} is before at ${order.at}`);
      steps.push({ at: reviewAt, index, kind: 'review' });
    }
  });
  // Stable: an order comes before a review at the same instant, and before the later orders.
  steps.sort((a, b) => a.at - b.at || (a.kind === b.kind ? a.index - b.index : a.kind === 'order' ? -1 : 1));

  return withOrderApi(dataDir, async ({ url, runtime, setClock }) => {
    const answers: OrderResponseBody[] = [];
    for (const step of steps) {
      const seed = orders[step.index]!;
      setClock(step.at);
      if (step.kind === 'order') {
        const answer = await post(`${url}/orders`, seed.body);
        if (answer.status !== 200) {
          throw new Error(`seed order ${step.index} (${String(seed.body.orderId)}) was refused: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
        answers[step.index] = answer.body as unknown as OrderResponseBody;
      } else {
        const orderId = answers[step.index]!.orderId;
        const { decision, reviewer } = seed.review!;
        const answer = await post(`${url}/orders/${encodeURIComponent(orderId)}/review`, { decision, reviewer });
        if (answer.status !== 200) {
          throw new Error(`review of seed order ${step.index} (${orderId}) was refused: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
      }
    }

    const seeded: SeededOrder[] = [];
    for (const [index, answer] of answers.entries()) {
      const { value: stored } = await runtime.store.getOrder(answer.orderId);
      if (!stored) throw new Error(`seed order ${index} (${answer.orderId}) is not in the store`);
      seeded.push({ ...answer, day: stored.day, finalStatus: stored.status, costNanos: stored.costNanos, totalAmountCents: stored.totalAmountCents });
    }
    return seeded;
  }, storeEnv);
}

/**
 * Sends one invalid order (invalidOrderBody) at each of `times` through the real order API: each is
 * answered 400 VALIDATION_ERROR, stored nowhere, and counted (validationErrors) and costed in the
 * rollup of its UTC day. Resolves with the 400 bodies.
 */
export async function seedValidationFailures(dataDir: string, times: string[], storeEnv: SeedStoreEnv = {}): Promise<Record<string, unknown>[]> {
  const sorted = times.map((at, index) => ({ at: epochMs(at, `validation failure ${index}`), index })).sort((a, b) => a.at - b.at);
  return withOrderApi(dataDir, async ({ url, setClock }) => {
    const answers: Record<string, unknown>[] = [];
    for (const { at, index } of sorted) {
      setClock(at);
      const answer = await post(`${url}/orders`, invalidOrderBody());
      if (answer.status !== 400) throw new Error(`invalid order ${index} was answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      answers[index] = answer.body;
    }
    return answers;
  }, storeEnv);
}

// ---------------------------------------------------------------------------------------------
// Order bodies. Each call gives a distinct, valid order: its own orderId, customer, email, card and
// address, so orders seeded together never trip each other's velocity or customer-history signals.
// Outcomes are with the order API's default thresholds (REJECT_BELOW_SCORE 4, APPROVE_FROM_SCORE 7)
// and verified by test/support/seed.test.ts.
// ---------------------------------------------------------------------------------------------

let sequence = 0;
/** Distinguishes processes writing one DATA_DIR (jest workers); letters only, like the rest of the names. */
const RUN = letters(process.pid % 17_576, 3);

const SYLLABLES = ['ba', 'de', 'fi', 'go', 'ku', 'la', 'me', 'ni', 'po', 'ru', 'sa', 'te', 'vi', 'wo', 'xu', 'yo', 'za', 'ce', 'hi', 'jo'];

/** `n` written in syllables ("bade"): pronounceable, so no email randomness signal fires. */
function syllables(n: number): string {
  let rest = n;
  let text = '';
  do {
    text = SYLLABLES[rest % SYLLABLES.length]! + text;
    rest = Math.floor(rest / SYLLABLES.length);
  } while (rest > 0);
  return text;
}

function letters(n: number, width: number): string {
  let rest = n;
  let text = '';
  for (let i = 0; i < width; i++) {
    text = String.fromCharCode(97 + (rest % 26)) + text;
    rest = Math.floor(rest / 26);
  }
  return text;
}

/** Identity fields of the next distinct order. */
function nextIdentity(): Record<string, unknown> {
  sequence += 1;
  const n = sequence;
  const name = syllables(n);
  return {
    orderId: `ORD-SEED-${RUN.toUpperCase()}-${String(n).padStart(6, '0')}`,
    customerId: `CUST-SEED-${RUN.toUpperCase()}-${n}`,
    customerEmail: `${name}.${RUN}@gmail.com`,
    cardLast4: String(n % 10_000).padStart(4, '0'),
    shippingAddress: {
      street: `${100 + n} Evergreen Terrace`,
      city: 'Springfield',
      state: 'IL',
      zipCode: '62704',
      country: 'US',
    },
  };
}

function merge(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  // An override of `undefined` removes the field.
  return Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, value]) => value !== undefined));
}

/**
 * A valid, distinct order: 2 x 24.99 + 3 x 9.99 = $79.95 of accessories by card from a regular
 * customer. Screened APPROVED. `overrides` are merged at the top level (keep items and totalAmount
 * consistent when changing either; `undefined` removes a field).
 */
export function orderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return merge(
    {
      ...nextIdentity(),
      customerType: 'REGULAR',
      orderHistory: 3,
      items: [
        { productId: 'SKU-1001', name: 'Wireless Mouse', quantity: 2, price: 24.99, category: 'electronics' },
        { productId: 'SKU-2002', name: 'USB-C Cable 2m', quantity: 3, price: 9.99 },
      ],
      totalAmount: 79.95,
      paymentMethod: 'CREDIT_CARD',
    },
    overrides,
  );
}

/** An order the order API APPROVES (score 9.2; $79.95, see orderBody). */
export function approvedOrderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return orderBody(overrides);
}

/** An order the order API sends to PENDING_REVIEW (score 5.6): five $500 laptops ($2,500) for a new customer. */
export function pendingReviewOrderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return orderBody({
    orderHistory: 0,
    items: [{ productId: 'SKU-LAP-14', name: 'Laptop 14"', quantity: 5, price: 500, category: 'electronics' }],
    totalAmount: 2500,
    ...overrides,
  });
}

/** An order the order API REJECTS outright (score 2): 50 x $100 gift cards ($5,000) bought by a new customer. */
export function rejectedOrderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return orderBody({
    orderHistory: 0,
    items: [{ productId: 'SKU-GIFT-100', name: 'Amazon Gift Card', quantity: 50, price: 100 }],
    totalAmount: 5000,
    ...overrides,
  });
}

/** A request the order API refuses with 400 VALIDATION_ERROR (counted and costed in the rollups, never stored). */
export function invalidOrderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return orderBody({ items: [], totalAmount: -1, ...overrides });
}
