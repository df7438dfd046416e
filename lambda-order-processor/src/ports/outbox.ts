import type { OrderEvent } from '../domain/events/order-event.js';

/**
 * A named destination each order event must reach (`archive`, `notify`, `webhook`); an event is done
 * when every configured sink has it, and a sink that succeeded is never delivered to again.
 */
export type OutboxSink = string;

export interface OutboxEntry {
  id: number;
  event: OrderEvent;
  attempts: number;
  /** Sinks that already succeeded for this event (never re-delivered). */
  delivered: OutboxSink[];
}

/**
 * The transactional outbox of the embedded store. The dispatcher claims due entries, delivers
 * them and records the outcome; a failed delivery is retried later, never dropped.
 */
export interface Outbox {
  /** Entries whose next attempt is due at `now`, oldest first. */
  due(now: Date, limit: number): Promise<OutboxEntry[]>;
  markDelivered(id: number, sink: OutboxSink): Promise<void>;
  markDone(id: number): Promise<void>;
  markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  /** Entries not yet done (for health and graceful shutdown). */
  pendingCount(): Promise<number>;
}
