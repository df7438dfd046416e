import { ORDER_STATUSES } from '../../src/domain/order/order.js';
import type { OrderStatus, StoredOrder } from '../../src/domain/order/order.js';
import { ROLLUP_COUNTERS, emptyRollupCounters, rollupForValidationFailure } from '../../src/domain/order/rollup.js';
import type { RollupCounters, RollupDelta } from '../../src/domain/order/rollup.js';
import { velocityKeysFor } from '../../src/domain/order/velocity.js';
import type { VelocityKeys, VelocitySnapshot, VelocityWindows } from '../../src/domain/order/velocity.js';
import type { OrderStore, OrderSummary, ListOrdersQuery } from '../../src/ports/order-store.js';
import { costBreakdown, recordInputFor, reviewInputFor, storedOrderFixture } from '../fixtures/stored-orders.js';
import type { StoredOrderOverrides } from '../fixtures/stored-orders.js';

export interface OpenedOrderStore {
  store: OrderStore;
  dispose(): Promise<void>;
}

/**
 * The behaviour every OrderStore engine must have (SPEC section 5), through the port only.
 * Each test gets a fresh, empty store from `openStore`.
 */
export function describeOrderStoreContract(engineName: string, openStore: () => Promise<OpenedOrderStore>): void {
  describe(`OrderStore contract (${engineName})`, () => {
    let opened: OpenedOrderStore;
    let store: OrderStore;

    beforeEach(async () => {
      opened = await openStore();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.dispose();
    });

    async function record(overrides: StoredOrderOverrides): Promise<StoredOrder> {
      const order = storedOrderFixture(overrides);
      const result = await store.recordOrder(recordInputFor(order));
      expect(result.outcome).toBe('created');
      return order;
    }

    async function countersOn(day: string): Promise<RollupCounters | undefined> {
      const rollups = await store.getRollups(day, day);
      return rollups[0]?.counters;
    }

    function sumOf(deltas: readonly RollupDelta[]): RollupCounters {
      const total = emptyRollupCounters();
      for (const delta of deltas) {
        for (const counter of ROLLUP_COUNTERS) total[counter] += delta.counters[counter] ?? 0;
      }
      return total;
    }

    async function velocityOf(keys: VelocityKeys, now: string, windows: VelocityWindows): Promise<VelocitySnapshot> {
      const { value, units } = await store.getVelocity({ keys, now, windows });
      expect(units.readUnits).toBeGreaterThan(0);
      return value;
    }

    function summaryOf(order: StoredOrder): OrderSummary {
      return {
        orderId: order.orderId,
        customerId: order.customerId,
        status: order.status,
        score: order.score,
        totalAmountCents: order.totalAmountCents,
        createdAt: order.createdAt,
        day: order.day,
      };
    }

    describe('recording orders', () => {
      it('returns the recorded document from getOrder, deep-equal', async () => {
        const order = storedOrderFixture({ orderId: 'REC-1', status: 'PENDING_REVIEW', totalAmountCents: 185_000 });
        const result = await store.recordOrder(recordInputFor(order));
        expect(result.outcome).toBe('created');

        const read = await store.getOrder('REC-1');
        expect(read.value).toEqual(order);
        expect(read.units.readUnits).toBeGreaterThan(0);
      });

      it('answers null for an order that was never recorded', async () => {
        const read = await store.getOrder('NO-SUCH-ORDER');
        expect(read.value).toBeNull();
      });

      it('keeps the first order when the orderId is recorded again, and counts nothing twice', async () => {
        const first = await record({ orderId: 'DUP-1', customerId: 'CUST-FIRST', status: 'APPROVED', createdAt: '2025-06-02T10:00:00.000Z' });
        const countersBefore = await countersOn('2025-06-02');
        const profileBefore = (await store.getCustomerProfile('CUST-FIRST')).value;
        const windows = { customerSeconds: 86_400, cardSeconds: 86_400, addressSeconds: 86_400 };
        const velocityBefore = await velocityOf(velocityKeysFor(first.request), '2025-06-03T09:00:00.000Z', windows);

        // Same key, different content, another customer and another day.
        const second = storedOrderFixture({
          orderId: 'DUP-1',
          customerId: 'CUST-SECOND',
          customerEmail: 'second@example.com',
          status: 'REJECTED',
          createdAt: '2025-06-03T08:00:00.000Z',
        });
        const result = await store.recordOrder(recordInputFor(second));

        expect(result.outcome).toBe('exists');
        if (result.outcome !== 'exists') return;
        expect(result.existing).toEqual(first);
        expect((await store.getOrder('DUP-1')).value).toEqual(first);
        expect(await countersOn('2025-06-02')).toEqual(countersBefore);
        expect(await store.getRollups('2025-06-03', '2025-06-03')).toEqual([]);
        expect((await store.getCustomerProfile('CUST-FIRST')).value).toEqual(profileBefore);
        expect((await store.getCustomerProfile('CUST-SECOND')).value).toBeNull();
        expect(await velocityOf(velocityKeysFor(first.request), '2025-06-03T09:00:00.000Z', windows)).toEqual(velocityBefore);
        expect(await velocityOf(velocityKeysFor(second.request), '2025-06-03T09:00:00.000Z', windows)).toMatchObject({
          customerRecentOrders: 0,
        });
      });

      it('stores exactly one order when 50 requests record the same orderId at once', async () => {
        const order = storedOrderFixture({ orderId: 'RACE-1', customerId: 'CUST-RACE', createdAt: '2025-06-02T10:00:00.000Z' });
        const results = await Promise.all(Array.from({ length: 50 }, () => store.recordOrder(recordInputFor(order))));

        expect(results.filter((result) => result.outcome === 'created')).toHaveLength(1);
        const duplicates = results.filter((result) => result.outcome === 'exists');
        expect(duplicates).toHaveLength(49);
        for (const duplicate of duplicates) {
          if (duplicate.outcome === 'exists') expect(duplicate.existing).toEqual(order);
        }
        expect(await countersOn('2025-06-02')).toMatchObject({ ordersTotal: 1, approved: 1, amountTotalCents: 7995 });
        expect((await store.getCustomerProfile('CUST-RACE')).value).toMatchObject({ orderCount: 1, approvedCount: 1 });
        const windows = { customerSeconds: 3600, cardSeconds: 3600, addressSeconds: 3600 };
        expect(await velocityOf(velocityKeysFor(order.request), '2025-06-02T10:30:00.000Z', windows)).toMatchObject({
          customerRecentOrders: 1,
        });
      });

      it('sums 50 concurrent orders of one day exactly in the rollup, every counter', async () => {
        const inputs = Array.from({ length: 50 }, (_, index) => {
          const status: OrderStatus = ORDER_STATUSES[index % 3] ?? 'APPROVED';
          const withAi = index % 4 === 0;
          const order = storedOrderFixture({
            orderId: `SUM-${index}`,
            customerId: `CUST-SUM-${index % 7}`,
            status,
            score: (index * 37) % 101 / 10,
            totalAmountCents: 1_000 + index * 137_913,
            createdAt: `2025-06-02T${String(10 + (index % 12)).padStart(2, '0')}:${String(index).padStart(2, '0')}:00.000Z`,
            costNanos: costBreakdown({
              bedrock: withAi ? 1_234_567 + index : 0,
              lambda: 14_584 + index * 7,
              dynamodb: 13_750 + index,
              s3: 5_000,
              sns: 500,
              apiGateway: 1_000,
              cloudwatch: 451 + index * 3,
            }),
            screening: withAi
              ? { engine: 'ai', aiProvider: 'bedrock', model: 'amazon.nova-micro-v1:0', fallback: null }
              : { engine: 'rules', aiProvider: 'none', model: null, fallback: null },
          });
          if (withAi) {
            order.usage = { ...order.usage, ai: { provider: 'bedrock', model: 'amazon.nova-micro-v1:0', inputTokens: 812 + index, outputTokens: 143 + index } };
          }
          return recordInputFor(order);
        });

        const results = await Promise.all(inputs.map((input) => store.recordOrder(input)));

        expect(results.every((result) => result.outcome === 'created')).toBe(true);
        const expected = sumOf(inputs.map((input) => input.rollup));
        expect(expected.aiInputTokens).toBeGreaterThan(0);
        expect(expected.costBedrockNanos).toBeGreaterThan(0);
        expect(await store.getRollups('2025-06-02', '2025-06-02')).toEqual([{ day: '2025-06-02', counters: expected }]);
      });
    });

    describe('rollups', () => {
      it('returns the days that have data in a range, ascending, across a month boundary', async () => {
        await record({ orderId: 'DAY-1', createdAt: '2025-01-30T12:00:00.000Z' });
        await record({ orderId: 'DAY-2', createdAt: '2025-01-31T23:59:59.999Z' });
        await record({ orderId: 'DAY-3', createdAt: '2025-02-01T00:00:00.000Z', status: 'REJECTED' });
        await record({ orderId: 'DAY-4', createdAt: '2025-02-01T08:00:00.000Z' });
        await record({ orderId: 'DAY-5', createdAt: '2025-02-03T08:00:00.000Z' });

        const crossing = await store.getRollups('2025-01-31', '2025-02-02');
        expect(crossing.map((rollup) => rollup.day)).toEqual(['2025-01-31', '2025-02-01']);
        expect(crossing[1]?.counters).toMatchObject({ ordersTotal: 2, approved: 1, rejected: 1 });

        const all = await store.getRollups('2025-01-01', '2025-02-28');
        expect(all.map((rollup) => rollup.day)).toEqual(['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-03']);

        const oneDay = await store.getRollups('2025-01-30', '2025-01-30');
        expect(oneDay).toHaveLength(1);
        expect(oneDay[0]?.counters).toMatchObject({ ordersTotal: 1, approved: 1, amountTotalCents: 7995 });
      });

      it('returns no rollups for an empty range or a range without data', async () => {
        await record({ orderId: 'EMPTY-1', createdAt: '2025-02-01T08:00:00.000Z' });

        expect(await store.getRollups('2025-02-02', '2025-02-01')).toEqual([]);
        expect(await store.getRollups('2025-02-02', '2025-02-28')).toEqual([]);
        expect(await store.getRollups('2025-01-01', '2025-01-31')).toEqual([]);
      });

      it('counts validation failures with their cost, without counting an order', async () => {
        const cost = costBreakdown({ bedrock: 0, lambda: 2_084, dynamodb: 625, s3: 0, sns: 0, apiGateway: 1_000, cloudwatch: 210 });
        const units = await store.recordValidationFailure(rollupForValidationFailure('2025-06-02', cost, 2));
        await store.recordValidationFailure(rollupForValidationFailure('2025-06-02', cost, 3));

        expect(units.writeUnits).toBeGreaterThan(0);
        expect(await countersOn('2025-06-02')).toEqual({
          ...emptyRollupCounters(),
          validationErrors: 2,
          costLambdaNanos: 4_168,
          costDynamodbNanos: 1_250,
          costApiGatewayNanos: 2_000,
          costCloudwatchNanos: 420,
          costTotalNanos: 7_838,
          lambdaBilledMs: 5,
        });

        await record({ orderId: 'AFTER-FAILURES', createdAt: '2025-06-02T10:00:00.000Z' });
        expect(await countersOn('2025-06-02')).toMatchObject({ validationErrors: 2, ordersTotal: 1, approved: 1 });
      });
    });

    describe('customer profiles', () => {
      it('counts approved, rejected and pending orders; first seen is the earliest, last order the latest', async () => {
        const customer = { customerId: 'CUST-PROFILE', customerEmail: 'pat@example.com' };
        await record({ ...customer, orderId: 'PROF-2', status: 'APPROVED', totalAmountCents: 10_000, createdAt: '2025-06-02T10:00:00.000Z' });
        await record({ ...customer, orderId: 'PROF-1', status: 'REJECTED', totalAmountCents: 5_000, createdAt: '2025-06-01T09:00:00.000Z' });
        await record({ ...customer, orderId: 'PROF-3', status: 'PENDING_REVIEW', totalAmountCents: 3_000, createdAt: '2025-06-03T11:00:00.000Z' });
        await record({ customerId: 'CUST-OTHER', orderId: 'PROF-OTHER', status: 'APPROVED', createdAt: '2025-06-04T11:00:00.000Z' });

        const profile = await store.getCustomerProfile('CUST-PROFILE');
        expect(profile.value).toEqual({
          customerId: 'CUST-PROFILE',
          firstSeenAt: '2025-06-01T09:00:00.000Z',
          lastOrderAt: '2025-06-03T11:00:00.000Z',
          orderCount: 3,
          approvedCount: 1,
          rejectedCount: 1,
          pendingCount: 1,
          approvedAmountCents: 10_000,
        });
        expect(profile.units.readUnits).toBeGreaterThan(0);
      });

      it('answers null for a customer never seen', async () => {
        expect((await store.getCustomerProfile('CUST-UNKNOWN')).value).toBeNull();
      });
    });

    describe('velocity', () => {
      const NOW = Date.parse('2025-06-02T12:00:00.000Z');
      const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString();
      const now = ago(0);
      const firstAddress = { street: '10 Market St', city: 'Denver', state: 'CO', zipCode: '80202', country: 'US' };
      const secondAddress = { street: '55 Pine Rd', city: 'Austin', state: 'TX', zipCode: '73301', country: 'US' };

      async function order(id: string, customerId: string, email: string, secondsAgo: number, card: string | null, address = firstAddress) {
        const payment = card === null ? { paymentMethod: 'PURCHASE_ORDER' as const, cardLast4: undefined, poNumber: 'PO-77' } : { cardLast4: card };
        return record({
          orderId: id,
          customerId,
          customerEmail: email,
          createdAt: ago(secondsAgo),
          request: { ...payment, shippingAddress: address },
        });
      }

      it('counts one customer’s orders inside the window only', async () => {
        const mine = await order('V-C1', 'CUST-A', 'a@example.com', 5 * 60, '4242');
        await order('V-C2', 'CUST-A', 'a@example.com', 30 * 60, '4242');
        await order('V-C3', 'CUST-A', 'a@example.com', 59 * 60, null, secondAddress);
        await order('V-C4', 'CUST-A', 'a@example.com', 61 * 60, '4242');
        await order('V-C5', 'CUST-B', 'b@example.com', 60, '4242');

        const snapshot = await velocityOf(velocityKeysFor(mine.request), now, { customerSeconds: 3600, cardSeconds: 3600, addressSeconds: 3600 });
        expect(snapshot.customerRecentOrders).toBe(3);
      });

      it('counts other customers and other emails on one card, never this customer’s own orders', async () => {
        const mine = await order('V-K1', 'CUST-A', 'a@example.com', 10 * 60, '4242');
        await order('V-K2', 'CUST-A', 'a@example.com', 20 * 60, '4242');
        await order('V-K3', 'CUST-B', 'b@example.com', 15 * 60, '4242');
        await order('V-K4', 'CUST-C', 'c@example.com', 40 * 60, '4242');
        await order('V-K5', 'CUST-B', 'b.other@example.com', 50 * 60, '4242');
        await order('V-K6', 'CUST-D', 'd@example.com', 70 * 60, '4242'); // outside the card window
        await order('V-K7', 'CUST-E', 'e@example.com', 5 * 60, '1111'); // another card at the same address
        await order('V-K8', 'CUST-F', 'f@example.com', 5 * 60, '4242', secondAddress); // same digits, other address: other card
        const windows = { customerSeconds: 3600, cardSeconds: 3600, addressSeconds: 86_400 };

        const forA = await velocityOf(velocityKeysFor(mine.request), now, windows);
        expect(forA).toEqual({ customerRecentOrders: 2, cardOtherCustomers: 2, cardOtherEmails: 3, addressOtherCustomers: 4 });

        const asB = velocityKeysFor({ ...mine.request, customerId: 'CUST-B', customerEmail: 'b@example.com' });
        const forB = await velocityOf(asB, now, windows);
        expect(forB).toMatchObject({ customerRecentOrders: 2, cardOtherCustomers: 2, cardOtherEmails: 3 });
      });

      it('counts nothing on the card for a payment without a card', async () => {
        await order('V-N1', 'CUST-B', 'b@example.com', 60, '4242');
        const purchaseOrder = storedOrderFixture({
          customerId: 'CUST-A',
          customerEmail: 'a@example.com',
          request: { paymentMethod: 'PURCHASE_ORDER', cardLast4: undefined, poNumber: 'PO-1', shippingAddress: firstAddress },
        });
        const snapshot = await velocityOf(velocityKeysFor(purchaseOrder.request), now, { customerSeconds: 600, cardSeconds: 600, addressSeconds: 600 });
        expect(snapshot).toEqual({ customerRecentOrders: 0, cardOtherCustomers: 0, cardOtherEmails: 0, addressOtherCustomers: 1 });
      });

      it('counts other customers shipping to one address within its window', async () => {
        const mine = await order('V-A1', 'CUST-A', 'a@example.com', 60, null, secondAddress);
        await order('V-A2', 'CUST-A', 'a@example.com', 120, '4242', secondAddress);
        await order('V-A3', 'CUST-B', 'b@example.com', 3 * 3600, '1111', secondAddress);
        await order('V-A4', 'CUST-C', 'c@example.com', 20 * 3600, null, secondAddress);
        await order('V-A5', 'CUST-C', 'c@example.com', 21 * 3600, null, secondAddress);
        await order('V-A6', 'CUST-D', 'd@example.com', 25 * 3600, null, secondAddress); // outside the window
        await order('V-A7', 'CUST-E', 'e@example.com', 60, null, firstAddress); // another address

        const snapshot = await velocityOf(velocityKeysFor(mine.request), now, { customerSeconds: 3600, cardSeconds: 3600, addressSeconds: 86_400 });
        expect(snapshot.addressOtherCustomers).toBe(2);
      });

      it('includes activity exactly one window old and excludes one millisecond older', async () => {
        const windowSeconds = 600;
        const mine = storedOrderFixture({ customerId: 'CUST-A', customerEmail: 'a@example.com', request: { cardLast4: '4242', shippingAddress: firstAddress } });
        const boundary = new Date(NOW - windowSeconds * 1000).toISOString();
        const justOutside = new Date(NOW - windowSeconds * 1000 - 1).toISOString();
        for (const [id, customerId, email, at] of [
          ['V-B1', 'CUST-A', 'a@example.com', boundary],
          ['V-B2', 'CUST-A', 'a@example.com', justOutside],
          ['V-B3', 'CUST-B', 'b@example.com', boundary],
          ['V-B4', 'CUST-C', 'c@example.com', justOutside],
        ] as const) {
          await record({ orderId: id, customerId, customerEmail: email, createdAt: at, request: { cardLast4: '4242', shippingAddress: firstAddress } });
        }
        const windows = { customerSeconds: windowSeconds, cardSeconds: windowSeconds, addressSeconds: windowSeconds };

        expect(await velocityOf(velocityKeysFor(mine.request), now, windows)).toEqual({
          customerRecentOrders: 1,
          cardOtherCustomers: 1,
          cardOtherEmails: 1,
          addressOtherCustomers: 1,
        });
      });
    });

    describe('reviews', () => {
      it('applies a review: status, document, audit record, rollup and profile all move', async () => {
        const pending = await record({ orderId: 'REV-1', customerId: 'CUST-REV', status: 'PENDING_REVIEW', totalAmountCents: 185_000, createdAt: '2025-06-02T10:00:00.000Z' });
        const recorded = sumOf([recordInputFor(pending).rollup]);
        expect(recorded).toMatchObject({ pendingReview: 1, amountPendingCents: 185_000 });
        const input = reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-03T08:15:00.000Z', note: 'Customer verified by phone' });

        expect(await store.applyReview(input)).toEqual({ outcome: 'applied' });

        expect((await store.getOrder('REV-1')).value).toEqual(input.updatedOrder);
        expect(await store.getReviews('REV-1')).toEqual([input.review]);
        const counters = await countersOn('2025-06-02');
        expect(counters).toMatchObject({
          ordersTotal: 1,
          pendingReview: 0,
          approved: 1,
          amountPendingCents: 0,
          amountApprovedCents: 185_000,
          reviewedApproved: 1,
          // The review's own processing cost is added to the order's day.
          costTotalNanos: recorded.costTotalNanos + 19_537,
        });
        expect(counters).toEqual(sumOf([recordInputFor(pending).rollup, input.rollup]));
        expect(await store.getRollups('2025-06-03', '2025-06-03')).toEqual([]);
        expect((await store.getCustomerProfile('CUST-REV')).value).toEqual({
          customerId: 'CUST-REV',
          firstSeenAt: '2025-06-02T10:00:00.000Z',
          lastOrderAt: '2025-06-02T10:00:00.000Z',
          orderCount: 1,
          approvedCount: 1,
          rejectedCount: 0,
          pendingCount: 0,
          approvedAmountCents: 185_000,
        });
      });

      it('moves a rejected review from the pending counts to the rejected ones', async () => {
        const pending = await record({ orderId: 'REV-2', customerId: 'CUST-REV', status: 'PENDING_REVIEW', totalAmountCents: 42_000, createdAt: '2025-06-02T10:00:00.000Z' });
        const input = reviewInputFor(pending, { decision: 'REJECTED', reviewedAt: '2025-06-02T11:00:00.000Z' });

        expect(await store.applyReview(input)).toEqual({ outcome: 'applied' });

        expect(await countersOn('2025-06-02')).toMatchObject({
          ordersTotal: 1,
          pendingReview: 0,
          rejected: 1,
          amountPendingCents: 0,
          amountRejectedCents: 42_000,
          reviewedRejected: 1,
          reviewedApproved: 0,
        });
        expect((await store.getCustomerProfile('CUST-REV')).value).toMatchObject({ pendingCount: 0, rejectedCount: 1, approvedAmountCents: 0 });
        expect(await store.getReviews('REV-2')).toEqual([input.review]);
      });

      it('answers not_found for an order that does not exist, and writes nothing', async () => {
        const ghost = storedOrderFixture({ orderId: 'REV-GHOST', status: 'PENDING_REVIEW', createdAt: '2025-06-02T10:00:00.000Z' });

        const result = await store.applyReview(reviewInputFor(ghost, { decision: 'APPROVED', reviewedAt: '2025-06-02T11:00:00.000Z' }));

        expect(result).toEqual({ outcome: 'not_found' });
        expect(await store.getReviews('REV-GHOST')).toEqual([]);
        expect(await store.getRollups('2025-06-02', '2025-06-02')).toEqual([]);
        expect((await store.getOrder('REV-GHOST')).value).toBeNull();
      });

      it('answers status_changed with the current status when the order is not in the expected status', async () => {
        const approved = await record({ orderId: 'REV-3', status: 'APPROVED', createdAt: '2025-06-02T10:00:00.000Z' });
        const before = await countersOn('2025-06-02');
        const asIfPending = { ...approved, status: 'PENDING_REVIEW' as const };

        const result = await store.applyReview(reviewInputFor(asIfPending, { decision: 'REJECTED', reviewedAt: '2025-06-02T11:00:00.000Z' }));

        expect(result).toEqual({ outcome: 'status_changed', currentStatus: 'APPROVED' });
        expect((await store.getOrder('REV-3')).value).toEqual(approved);
        expect(await store.getReviews('REV-3')).toEqual([]);
        expect(await countersOn('2025-06-02')).toEqual(before);
      });

      it('applies exactly one of two concurrent reviews of one pending order', async () => {
        const pending = await record({ orderId: 'REV-4', customerId: 'CUST-RACE', status: 'PENDING_REVIEW', totalAmountCents: 9_900, createdAt: '2025-06-02T10:00:00.000Z' });

        const results = await Promise.all([
          store.applyReview(reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-02T11:00:00.000Z', reviewer: 'ann' })),
          store.applyReview(reviewInputFor(pending, { decision: 'REJECTED', reviewedAt: '2025-06-02T11:00:00.000Z', reviewer: 'bob' })),
        ]);

        const applied = results.filter((result) => result.outcome === 'applied');
        const refused = results.filter((result) => result.outcome === 'status_changed');
        expect(applied).toHaveLength(1);
        expect(refused).toHaveLength(1);
        const finalStatus = (await store.getOrder('REV-4')).value?.status;
        expect(refused[0]).toEqual({ outcome: 'status_changed', currentStatus: finalStatus });
        const reviews = await store.getReviews('REV-4');
        expect(reviews).toHaveLength(1);
        expect(reviews[0]?.decision).toBe(finalStatus);
        const counters = await countersOn('2025-06-02');
        expect(counters).toMatchObject({ ordersTotal: 1, pendingReview: 0, amountPendingCents: 0 });
        expect((counters?.approved ?? 0) + (counters?.rejected ?? 0)).toBe(1);
        expect((await store.getCustomerProfile('CUST-RACE')).value).toMatchObject({ orderCount: 1, pendingCount: 0 });
      });

      it('lists an order’s reviews oldest first, and none for other orders', async () => {
        const pending = await record({ orderId: 'REV-5', status: 'PENDING_REVIEW', createdAt: '2025-06-02T10:00:00.000Z' });
        await record({ orderId: 'REV-6', status: 'PENDING_REVIEW', createdAt: '2025-06-02T10:00:00.000Z' });
        const first = reviewInputFor(pending, { decision: 'APPROVED', reviewedAt: '2025-06-02T11:00:00.000Z' });
        expect(await store.applyReview(first)).toEqual({ outcome: 'applied' });
        const second = reviewInputFor(first.updatedOrder, { decision: 'REJECTED', reviewedAt: '2025-06-02T12:30:00.000Z', note: 'Chargeback received' });
        expect(await store.applyReview(second)).toEqual({ outcome: 'applied' });

        expect(await store.getReviews('REV-5')).toEqual([first.review, second.review]);
        expect(await store.getReviews('REV-6')).toEqual([]);
        expect(await store.getReviews('NO-SUCH-ORDER')).toEqual([]);
      });
    });

    describe('listing orders', () => {
      it('filters by status and inclusive day range, newest first', async () => {
        const o1 = await record({ orderId: 'L-1', status: 'APPROVED', createdAt: '2025-03-01T10:00:00.000Z' });
        const o2 = await record({ orderId: 'L-2', status: 'PENDING_REVIEW', createdAt: '2025-03-01T11:00:00.000Z' });
        const o3 = await record({ orderId: 'L-3', status: 'PENDING_REVIEW', createdAt: '2025-03-02T09:00:00.000Z' });
        const o4 = await record({ orderId: 'L-4', status: 'REJECTED', createdAt: '2025-03-02T10:00:00.000Z' });
        const o5 = await record({ orderId: 'L-5', status: 'PENDING_REVIEW', createdAt: '2025-03-03T08:00:00.000Z' });
        await record({ orderId: 'L-6', status: 'PENDING_REVIEW', createdAt: '2025-02-28T23:59:59.999Z' });
        await record({ orderId: 'L-7', status: 'PENDING_REVIEW', createdAt: '2025-03-04T00:00:00.000Z' });

        const pending = await store.listOrders({ status: 'PENDING_REVIEW', startDay: '2025-03-01', endDay: '2025-03-03', limit: 10 });
        expect(pending).toEqual({ orders: [o5, o3, o2].map(summaryOf), nextCursor: null });

        const everything = await store.listOrders({ startDay: '2025-03-01', endDay: '2025-03-02', limit: 10 });
        expect(everything).toEqual({ orders: [o4, o3, o2, o1].map(summaryOf), nextCursor: null });

        const rejected = await store.listOrders({ status: 'REJECTED', startDay: '2025-03-02', endDay: '2025-03-02', limit: 10 });
        expect(rejected.orders.map((order) => order.orderId)).toEqual(['L-4']);

        expect(await store.listOrders({ startDay: '2025-04-01', endDay: '2025-04-30', limit: 10 })).toEqual({ orders: [], nextCursor: null });
      });

      async function pageThrough(query: Omit<ListOrdersQuery, 'cursor'>): Promise<OrderSummary[][]> {
        const pages: OrderSummary[][] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listOrders(cursor === undefined ? query : { ...query, cursor });
          expect(page.orders.length).toBeLessThanOrEqual(query.limit);
          pages.push(page.orders);
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined && pages.length < 20);
        return pages;
      }

      function expectNewestFirst(orders: readonly OrderSummary[]): void {
        for (let index = 1; index < orders.length; index += 1) {
          expect(Date.parse(orders[index - 1]?.createdAt ?? '')).toBeGreaterThanOrEqual(Date.parse(orders[index]?.createdAt ?? ''));
        }
      }

      it('pages through 25 orders with limit 10, visiting every order exactly once, newest first', async () => {
        const base = Date.parse('2025-04-29T23:55:00.000Z');
        const recorded: StoredOrder[] = [];
        for (let index = 0; index < 25; index += 1) {
          // Pairs share a timestamp, and the orders cross midnight: the cursor must handle both.
          const createdAt = new Date(base + Math.floor(index / 2) * 60_000).toISOString();
          const status = ORDER_STATUSES[index % 3] ?? 'APPROVED';
          recorded.push(await record({ orderId: `PAGE-${String(index).padStart(2, '0')}`, status, createdAt }));
        }

        const pages = await pageThrough({ startDay: '2025-04-29', endDay: '2025-04-30', limit: 10 });

        expect(pages.slice(0, 3).map((page) => page.length)).toEqual([10, 10, 5]);
        const visited = pages.flat();
        expect(visited).toHaveLength(25);
        expect(new Set(visited.map((order) => order.orderId)).size).toBe(25);
        expect([...visited].sort((a, b) => a.orderId.localeCompare(b.orderId))).toEqual(recorded.map(summaryOf));
        expectNewestFirst(visited);

        const pendingPages = await pageThrough({ status: 'PENDING_REVIEW', startDay: '2025-04-29', endDay: '2025-04-30', limit: 3 });
        const pendingVisited = pendingPages.flat();
        const pendingIds = recorded.filter((order) => order.status === 'PENDING_REVIEW').map((order) => order.orderId);
        expect(pendingVisited.map((order) => order.orderId).sort()).toEqual(pendingIds);
        expectNewestFirst(pendingVisited);
      });
    });

    describe('health and metering', () => {
      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('reports positive request units for every write and read', async () => {
        const order = storedOrderFixture({ orderId: 'UNITS-1', status: 'PENDING_REVIEW' });
        const input = recordInputFor(order);
        const reviewInput = reviewInputFor(order, { decision: 'APPROVED', reviewedAt: '2025-06-03T08:00:00.000Z' });
        const failure = rollupForValidationFailure('2025-06-02', costBreakdown({ bedrock: 0, lambda: 1, dynamodb: 1, s3: 0, sns: 0, apiGateway: 1, cloudwatch: 1 }), 1);

        expect(store.estimateWriteUnits({ kind: 'order', input }).writeUnits).toBeGreaterThan(0);
        expect(store.estimateWriteUnits({ kind: 'review', input: reviewInput }).writeUnits).toBeGreaterThan(0);
        expect(store.estimateWriteUnits({ kind: 'validation-failure', rollup: failure }).writeUnits).toBeGreaterThan(0);

        const created = await store.recordOrder(input);
        expect(created.units.writeUnits).toBeGreaterThan(0);
        expect((await store.getOrder('UNITS-1')).units.readUnits).toBeGreaterThan(0);
        expect((await store.getOrder('UNITS-MISSING')).units.readUnits).toBeGreaterThan(0);
        expect((await store.getCustomerProfile(order.customerId)).units.readUnits).toBeGreaterThan(0);
        expect((await store.recordValidationFailure(failure)).writeUnits).toBeGreaterThan(0);
      });
    });
  });
}
