import { Worker } from 'node:worker_threads';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { OrderProcessorConfig } from '../../config/config.js';
import type { Outbox } from '../../ports/outbox.js';
import type { EventDelivery } from '../../services/event-delivery.js';
import type { FromWorker, OutboxWorkerData, ToWorker } from './messages.js';

/** Kicks closer together than this are one kick (the worker batches deliveries anyway). */
const KICK_INTERVAL_MS = 10;
const RESTART_DELAY_MS = 1_000;

/**
 * Main-thread side of the delivery worker: starts it, forwards kicks, applies the outcomes it
 * reports to the store (the main thread owns all writes) and restarts it if it dies; events wait
 * in the outbox meanwhile, so a crash of the worker loses nothing.
 */
export class OutboxWorkerClient implements EventDelivery {
  private worker: Worker | null = null;
  private exited: Promise<unknown> = Promise.resolve();
  private kickPosted = false;
  private stopping = false;
  private nextRequestId = 1;
  private readonly flushes = new Map<number, (pending: number) => void>();

  constructor(
    private readonly config: OrderProcessorConfig,
    private readonly outbox: Outbox,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopping = false;
    const workerData: OutboxWorkerData = { config: this.config };
    const worker = new Worker(new URL('./worker-main.js', import.meta.url), { workerData });
    this.worker = worker;
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (error) => this.logger.error('event delivery worker failed', { error: String(error) }));
    worker.once('exit', (code) => {
      this.worker = null;
      for (const resolve of this.flushes.values()) resolve(-1);
      this.flushes.clear();
      if (this.stopping) return;
      this.logger.error('event delivery worker exited; restarting', { code });
      setTimeout(() => this.stopping || this.start(), RESTART_DELAY_MS).unref();
    });
  }

  kick(): void {
    if (this.kickPosted || !this.worker) return;
    this.kickPosted = true;
    this.post({ type: 'kick' });
    setTimeout(() => (this.kickPosted = false), KICK_INTERVAL_MS).unref();
  }

  flush(timeoutMs: number): Promise<number> {
    if (!this.worker) return this.outbox.pendingCount();
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.flushes.set(requestId, resolve);
      this.post({ type: 'flush', requestId, timeoutMs });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.worker) this.post({ type: 'stop' });
    await this.exited;
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'settle':
        this.outbox.settle(message.outcomes).then(
          () => this.post({ type: 'settled', requestId: message.requestId, error: null }),
          (error: unknown) => this.post({ type: 'settled', requestId: message.requestId, error: String(error) }),
        );
        return;
      case 'flushed':
        this.flushes.get(message.requestId)?.(message.pending);
        this.flushes.delete(message.requestId);
        return;
      case 'log':
        this.logger[message.level](message.message, message.details);
        return;
    }
  }
}
