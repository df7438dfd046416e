import type { CustomerProfile } from '../../order/customer.js';
import type { OrderItem, OrderRequest } from '../../order/order.js';
import type { VelocitySnapshot } from '../../order/velocity.js';
import { DEFAULT_SCREENING_SETTINGS } from '../../scoring/defaults.js';
import type { ScreeningContext } from '../signal.js';

/** Test builders: a plain, clean order and context that each test bends in one direction. */

export const RECEIVED_AT = new Date('2025-06-01T12:00:00.000Z');

export const NO_VELOCITY: VelocitySnapshot = {
  customerRecentOrders: 0,
  cardOtherCustomers: 0,
  cardOtherEmails: 0,
  addressOtherCustomers: 0,
};

export function anItem(overrides: Partial<OrderItem> = {}): OrderItem {
  return { productId: 'PROD-100', name: 'Desk Lamp', quantity: 1, price: 80, ...overrides };
}

/** A plain $80 order from a gmail address to a valid US address. */
export function anOrder(overrides: Partial<OrderRequest> = {}): OrderRequest {
  const items = overrides.items ?? [anItem()];
  return {
    orderId: 'ORD-TEST-1',
    customerId: 'CUST-TEST-1',
    customerEmail: 'jane.smith@gmail.com',
    customerType: 'REGULAR',
    items,
    totalAmount: items.reduce((sum, item) => sum + item.quantity * item.price, 0),
    shippingAddress: { street: '12 Elm Street', city: 'Springfield', state: 'IL', zipCode: '62701', country: 'USA' },
    paymentMethod: 'CREDIT_CARD',
    cardLast4: '4242',
    ...overrides,
  };
}

/** A store profile first seen `ageDays` before RECEIVED_AT. */
export function aProfile(overrides: Partial<CustomerProfile> & { ageDays?: number } = {}): CustomerProfile {
  const { ageDays = 200, ...rest } = overrides;
  return {
    customerId: 'CUST-TEST-1',
    firstSeenAt: new Date(RECEIVED_AT.getTime() - ageDays * 86_400_000).toISOString(),
    lastOrderAt: new Date(RECEIVED_AT.getTime() - 86_400_000).toISOString(),
    orderCount: 12,
    approvedCount: 12,
    rejectedCount: 0,
    pendingCount: 0,
    approvedAmountCents: 120_000,
    ...rest,
  };
}

export function aContext(overrides: Partial<ScreeningContext> = {}): ScreeningContext {
  return {
    order: anOrder(),
    profile: null,
    velocity: NO_VELOCITY,
    receivedAt: RECEIVED_AT,
    settings: DEFAULT_SCREENING_SETTINGS,
    ...overrides,
  };
}
