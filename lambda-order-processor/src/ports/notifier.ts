import type { OrderNotification } from '../domain/events/notification.js';

/** Publishes an order notification (SNS in AWS; a JSON-lines file and optional webhook locally). */
export interface Notifier {
  publish(notification: OrderNotification): Promise<void>;
}
