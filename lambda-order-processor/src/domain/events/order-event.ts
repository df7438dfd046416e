import type { OrderStatus, StoredOrder } from '../order/order.js';

export const ORDER_EVENT_TYPES = ['ORDER_SCREENED', 'ORDER_REVIEWED'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/**
 * What happened to an order, for the archive and the notifier. Built in the same transaction as
 * the state change (SQLite outbox) or from the table's stream (DynamoDB), so it is never lost.
 */
export interface OrderEvent {
  /** Deterministic: `<orderId>:<type>:<status>`, so a redelivered event is recognisable. */
  eventId: string;
  type: OrderEventType;
  orderId: string;
  status: OrderStatus;
  /** UTC day the order was recorded. */
  day: string;
  occurredAt: string;
  order: StoredOrder;
}

export function orderEvent(type: OrderEventType, order: StoredOrder, occurredAt: string): OrderEvent {
  return {
    eventId: `${order.orderId}:${type}:${order.status}`,
    type,
    orderId: order.orderId,
    status: order.status,
    day: order.day,
    occurredAt,
    order,
  };
}

/** Deterministic archive key: `<status>/<yyyy-mm-dd>/<orderId>.json` (SPEC section 5). */
export function archiveKey(event: Pick<OrderEvent, 'status' | 'day' | 'orderId'>): string {
  return `${event.status}/${event.day}/${event.orderId}.json`;
}
