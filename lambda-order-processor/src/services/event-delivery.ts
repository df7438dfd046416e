/**
 * Delivery of recorded order events to their sinks, whoever runs it: the in-process OutboxDispatcher
 * or the worker-thread client of the local server.
 */
export interface EventDelivery {
  start(): void;
  /** Something was recorded: deliver soon. */
  kick(): void;
  /** Delivers what is due until nothing is or the deadline passes; resolves to the entries still pending. */
  flush(timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}
