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

export interface OutboxOutcome {
  id: number;
  /** Sinks that succeeded in this pass. */
  delivered: OutboxSink[];
  /** Null when every sink now has the event; otherwise what failed and when to try again. */
  failure: { error: string; retryAt: Date } | null;
}

/**
 * The transactional outbox of the embedded store. The dispatcher claims due entries, delivers
 * them and records the outcome; a failed delivery is retried later, never dropped.
 */
export interface Outbox {
  /**
   * Entries whose next attempt is due at `now`, oldest first, and only each order's oldest pending
   * entry: an order's events reach every sink in the order they happened, a later one waiting
   * while an earlier one is retried.
   */
  due(now: Date, limit: number): Promise<OutboxEntry[]>;
  /**
   * Records the outcome of one delivery pass for many entries in one go (one transaction on SQLite):
   * sinks that succeeded are never delivered to again; an entry with no failure is done.
   */
  settle(outcomes: readonly OutboxOutcome[]): Promise<void>;
  /** Entries not yet done (for health and graceful shutdown). */
  pendingCount(): Promise<number>;
}
