import type { OrderEvent } from './order-event.js';
import type { OrderStatus } from '../order/order.js';
import { maskEmail, redactText } from '../privacy/redaction.js';

/** What subscribers learn about an order: enough to act on, with personal data masked. */
export interface OrderNotification {
  eventId: string;
  type: OrderEvent['type'];
  orderId: string;
  status: OrderStatus;
  score: number;
  customerId: string;
  customerEmail: string;
  totalAmount: number;
  reasons: string[];
  occurredAt: string;
}

export function notificationFor(event: OrderEvent): OrderNotification {
  const { order } = event;
  return {
    eventId: event.eventId,
    type: event.type,
    orderId: event.orderId,
    status: event.status,
    score: order.score,
    customerId: order.customerId,
    customerEmail: maskEmail(order.customerEmail),
    totalAmount: order.totalAmountCents / 100,
    // Reasons quote what the order said (and what an AI analyst wrote): redacted like log lines.
    reasons: order.rejectionReasons.map(redactText),
    occurredAt: event.occurredAt,
  };
}
