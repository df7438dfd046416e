import type { OrderProcessorConfig } from '../../config/config.js';
import type { OutboxOutcome } from '../../ports/outbox.js';

export interface OutboxWorkerData {
  config: OrderProcessorConfig;
}

/** Main thread to delivery worker. */
export type ToWorker =
  | { type: 'kick' }
  | { type: 'flush'; requestId: number; timeoutMs: number }
  | { type: 'settled'; requestId: number; error: string | null }
  | { type: 'stop' };

/** Delivery worker to main thread. */
export type FromWorker =
  | { type: 'settle'; requestId: number; outcomes: OutboxOutcome[] }
  | { type: 'flushed'; requestId: number; pending: number }
  | { type: 'log'; level: 'warn' | 'error'; message: string; details: Record<string, unknown> };
