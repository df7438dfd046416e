import { notificationFor } from '../domain/events/notification.js';
import { archiveKey, type OrderEvent } from '../domain/events/order-event.js';
import type { Archive } from '../ports/archive.js';
import type { Notifier } from '../ports/notifier.js';

/** One destination of order events, delivered at least once (each must tolerate redelivery). */
export interface EventSink {
  name: string;
  deliver(event: OrderEvent): Promise<void>;
}

/** The archive keeps the full order record under its deterministic key (redelivery overwrites it with the same content). */
export function archiveSink(archive: Archive): EventSink {
  return { name: 'archive', deliver: (event) => archive.put(archiveKey(event), event.order) };
}

/** Notifications carry masked personal data and the event id, so subscribers can drop duplicates. */
export function notifierSink(name: string, notifier: Notifier): EventSink {
  return { name, deliver: (event) => notifier.publish(notificationFor(event)) };
}
