import { backoffMs } from '../domain/retry/backoff.js';
import type { Outbox, OutboxEntry, OutboxOutcome } from '../ports/outbox.js';
import type { EventDelivery } from './event-delivery.js';
import type { EventSink } from './order-event-sinks.js';

export interface DispatcherOptions {
  batchSize: number;
  /** How often due retries are looked for when nothing new was recorded. */
  pollIntervalMs: number;
  /**
   * How long a kick waits before draining, so events recorded meanwhile go out in the same batch
   * (one query and one settling transaction per batch instead of per order).
   */
  kickDelayMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  onError?: (message: string, details: Record<string, unknown>) => void;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  batchSize: 100,
  pollIntervalMs: 1_000,
  kickDelayMs: 20,
  baseBackoffMs: 500,
  maxBackoffMs: 5 * 60_000,
};

/**
 * Drains the transactional outbox: every recorded order event reaches every sink at least once.
 * A failing sink (archive folder not writable, webhook down) is retried with backoff; the event
 * stays in the outbox until it succeeds, so a failure never loses it.
 */
export class OutboxDispatcher implements EventDelivery {
  private readonly options: DispatcherOptions;
  private timer: NodeJS.Timeout | null = null;
  private pendingKick: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;
  /** Drain passes run one at a time, so two passes never deliver the same entry at once. */
  private exclusive: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly outbox: Outbox,
    private readonly sinks: readonly EventSink[],
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.drainNow(), this.options.pollIntervalMs);
    this.timer.unref();
    this.drainNow();
  }

  /** Something was recorded: drain shortly. Kicks within the delay, or while a drain runs, coalesce. */
  kick(): void {
    if (this.stopped || this.pendingKick) return;
    this.pendingKick = setTimeout(() => {
      this.pendingKick = null;
      this.drainNow();
    }, this.options.kickDelayMs);
    this.pendingKick.unref();
  }

  private drainNow(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.drainWhileDue().finally(() => {
      this.running = null;
    });
  }

  /** Delivers every entry that is due now; returns how many entries were attempted. */
  drainOnce(now: Date = new Date()): Promise<number> {
    const pass = this.exclusive.then(async () => {
      const entries = await this.outbox.due(now, this.options.batchSize);
      const outcomes = await Promise.all(entries.map((entry) => this.deliver(entry, now)));
      await this.outbox.settle(outcomes);
      return entries.length;
    });
    this.exclusive = pass.catch(() => undefined);
    return pass;
  }

  /**
   * For graceful shutdown: keeps draining until nothing is due or the deadline passes.
   * Returns the number of entries still pending (failing ones wait for the next start).
   */
  async flush(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    await this.running;
    while (Date.now() < deadline) {
      if ((await this.drainOnce()) === 0) break;
    }
    return this.outbox.pendingCount();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pendingKick) clearTimeout(this.pendingKick);
    this.timer = null;
    this.pendingKick = null;
    await this.running;
  }

  private async drainWhileDue(): Promise<void> {
    try {
      do {
        this.rerun = false;
        while ((await this.drainOnce()) === this.options.batchSize && !this.stopped);
      } while (this.rerun && !this.stopped);
    } catch (error) {
      // The outbox itself failed (store unavailable): the entries stay, the next poll retries.
      this.options.onError?.('outbox drain failed', { error: String(error) });
    }
  }

  /** Tries every sink the entry still needs; a failing sink never stops the others. */
  private async deliver(entry: OutboxEntry, now: Date): Promise<OutboxOutcome> {
    const delivered: string[] = [];
    const failures: string[] = [];
    for (const sink of this.sinks) {
      if (entry.delivered.includes(sink.name)) continue;
      try {
        await sink.deliver(entry.event);
        delivered.push(sink.name);
      } catch (error) {
        failures.push(`${sink.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length === 0) return { id: entry.id, delivered, failure: null };
    const retryAt = new Date(now.getTime() + backoffMs(entry.attempts + 1, this.options));
    this.options.onError?.('order event delivery failed; will retry', {
      eventId: entry.event.eventId,
      attempts: entry.attempts + 1,
      retryAt: retryAt.toISOString(),
      failures,
    });
    return { id: entry.id, delivered, failure: { error: failures.join('; '), retryAt } };
  }
}
